namespace Aetherflow.Engine.Api;

/// <summary>One tool call of an agent, in its latest state.</summary>
/// <param name="Tool">The tool, e.g. <c>bash</c>.</param>
/// <param name="Input">The key input: the command, file path, pattern or url (sanitised).</param>
/// <param name="Title">The title the tool gave the call, if any (sanitised).</param>
/// <param name="Status"><c>pending</c>, <c>running</c>, <c>completed</c> or <c>error</c>.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="DurationMs">How long it took, once finished.</param>
/// <param name="Error">The error, for a failed call (sanitised).</param>
public sealed record ToolCallInfo(string Tool, string Input, string? Title, string Status, DateTimeOffset? StartedAt, long? DurationMs, string? Error);
