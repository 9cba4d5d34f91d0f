namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>A recorded learning, as <c>aetherflow task context</c> lists it.</summary>
/// <param name="Id"><c>lrn-</c> and six hex digits.</param>
/// <param name="Summary">One line (untrusted text).</param>
/// <param name="Detail">The longer explanation, or null.</param>
/// <param name="Concepts">Its topic tags, sorted.</param>
/// <param name="TaskId">The task it came from, or null.</param>
/// <param name="CreatedAt">When it was recorded (UTC).</param>
public sealed record Learning(string Id, string Summary, string? Detail, IReadOnlyList<string> Concepts, string? TaskId, DateTimeOffset CreatedAt);
