using System.Text.Json;

namespace Aetherflow.Engine.Opencode;

/// <summary>A pending permission request (<c>GET /permission</c>); the session waits until it is answered.</summary>
public sealed record OpencodePermissionRequest
{
    /// <summary>The request id, <c>per_…</c>.</summary>
    public required string Id { get; init; }

    public required string SessionId { get; init; }

    /// <summary>What is asked for: <c>external_directory</c>, <c>bash</c>, <c>edit</c>, <c>read</c>, <c>doom_loop</c>, ….</summary>
    public required string Permission { get; init; }

    /// <summary>The patterns asked for (paths, commands).</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>The patterns an <c>always</c> answer would allow from now on.</summary>
    public IReadOnlyList<string> Always { get; init; } = [];

    /// <summary>The tool call waiting for the answer, if any.</summary>
    public string? ToolCallId { get; init; }

    public JsonElement Raw { get; init; }

    public static OpencodePermissionRequest FromJson(JsonElement json) => new()
    {
        Id = OpencodeJson.RequiredString(json, "id", "a permission request"),
        SessionId = OpencodeJson.RequiredString(json, "sessionID", "a permission request"),
        Permission = OpencodeJson.String(json, "permission") ?? string.Empty,
        Patterns = OpencodeJson.Strings(json, "patterns"),
        Always = OpencodeJson.Strings(json, "always"),
        ToolCallId = OpencodeJson.Property(json, "tool") is { } tool ? OpencodeJson.String(tool, "callID") : null,
        Raw = json,
    };
}
