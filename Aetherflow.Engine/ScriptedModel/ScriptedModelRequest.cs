using System.Text.Json.Serialization;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>
/// A summary of one request the scripted model server answered, as listed by <c>GET /_requests</c>. The session
/// headers opencode sends to non-opencode providers let a test match every model call to its opencode session.
/// </summary>
public sealed record ScriptedModelRequest
{
    /// <summary>1 for the first request since start or the last reset.</summary>
    [JsonPropertyName("seq")]
    public required long Sequence { get; init; }

    /// <summary>When the request arrived (server clock).</summary>
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    [JsonPropertyName("method")]
    public required string Method { get; init; }

    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The <c>X-Session-Id</c> header (opencode's session id), if sent.</summary>
    [JsonPropertyName("session_id")]
    public string? SessionId { get; init; }

    /// <summary>The <c>x-parent-session-id</c> header (set for subagent sessions), if sent.</summary>
    [JsonPropertyName("parent_session_id")]
    public string? ParentSessionId { get; init; }

    /// <summary><c>chat</c>, <c>title</c> (opencode's title side request) or <c>other</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The selected scenario, for chat requests.</summary>
    [JsonPropertyName("scenario")]
    public string? Scenario { get; init; }

    /// <summary>The step index answered (0-based), for chat requests.</summary>
    [JsonPropertyName("step")]
    public int? Step { get; init; }

    [JsonPropertyName("stream")]
    public bool Stream { get; init; }

    /// <summary>How it was answered: <c>text</c>, <c>tool_calls</c>, <c>error</c>, <c>hang</c>, <c>garbage</c>, or <c>-</c>.</summary>
    [JsonPropertyName("answer")]
    public string Answer { get; init; } = "-";

    /// <summary>The tools called in the answer, in order.</summary>
    [JsonPropertyName("tools")]
    public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>The HTTP status sent.</summary>
    [JsonPropertyName("status")]
    public int Status { get; init; }

    /// <summary>The text of the last user message (the first 2000 characters), for tests that check what reached the model.</summary>
    public string? LastUserText { get; init; }
}
