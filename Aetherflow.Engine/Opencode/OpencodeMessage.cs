using System.Text.Json;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// One message of a session as <c>GET /session/:id/message</c> returns it: the message info and its parts, kept as raw
/// JSON because their shape is open (text, tool, step-start, step-finish, patch, … parts). An assistant message is
/// written once per model step; the turn is over when the last one has <c>finish: "stop"</c> or an error.
/// </summary>
public sealed record OpencodeMessage(JsonElement Info, IReadOnlyList<JsonElement> Parts)
{
    /// <summary>The message id, <c>msg_…</c>.</summary>
    public string Id => OpencodeJson.String(Info, "id") ?? string.Empty;

    /// <summary><c>user</c> or <c>assistant</c>.</summary>
    public string Role => OpencodeJson.String(Info, "role") ?? string.Empty;

    /// <summary>Why the step ended (<c>stop</c>, <c>tool-calls</c>, …), or null while it runs or after an error.</summary>
    public string? Finish => OpencodeJson.String(Info, "finish");

    /// <summary>The error object (<c>{name, data}</c>), or null.</summary>
    public JsonElement? Error => OpencodeJson.Property(Info, "error");

    /// <summary>The error's name (<c>APIError</c>, <c>MessageAbortedError</c>, <c>UnknownError</c>, …), or null.</summary>
    public string? ErrorName => Error is { } error ? OpencodeJson.String(error, "name") : null;

    /// <summary>The error's message, or null.</summary>
    public string? ErrorMessage => Error is { } error && OpencodeJson.Property(error, "data") is { } data ? OpencodeJson.String(data, "message") : null;

    /// <summary>When the message was completed; null while it is still being written.</summary>
    public DateTimeOffset? Completed => OpencodeJson.Property(Info, "time") is { } time ? OpencodeJson.UnixMilliseconds(OpencodeJson.Number(time, "completed")) : null;

    /// <summary>The parts of type <paramref name="type"/> (<c>text</c>, <c>tool</c>, <c>step-finish</c>, …).</summary>
    public IEnumerable<JsonElement> PartsOfType(string type) => Parts.Where(p => OpencodeJson.String(p, "type") == type);

    /// <summary>The concatenated text of the text parts.</summary>
    public string Text => string.Concat(PartsOfType("text").Select(p => OpencodeJson.String(p, "text")));

    /// <summary>Reads one <c>{info, parts}</c> entry.</summary>
    public static OpencodeMessage FromJson(JsonElement json) => new(
        OpencodeJson.Property(json, "info") ?? throw new JsonException("a message has no \"info\""),
        OpencodeJson.Property(json, "parts") is { ValueKind: JsonValueKind.Array } parts ? parts.EnumerateArray().ToList() : []);
}
