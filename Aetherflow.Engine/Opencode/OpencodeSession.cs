using System.Text.Json;

namespace Aetherflow.Engine.Opencode;

/// <summary>An opencode session (the fields the engine reads; everything else is in <see cref="Raw"/>).</summary>
public sealed record OpencodeSession
{
    /// <summary>The session id, <c>ses_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The directory the session works in (its instance).</summary>
    public required string Directory { get; init; }

    public required string Title { get; init; }

    /// <summary>opencode's project id: the hash of the git root commit, or <c>global</c>.</summary>
    public string? ProjectId { get; init; }

    /// <summary>The parent session of a child (subagent) session.</summary>
    public string? ParentId { get; init; }

    public string? Slug { get; init; }

    /// <summary>The opencode version that created the session.</summary>
    public string? Version { get; init; }

    public DateTimeOffset? Created { get; init; }

    public DateTimeOffset? Updated { get; init; }

    /// <summary>The metadata given at creation (absent when none was given).</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>The session's permission rules.</summary>
    public IReadOnlyList<OpencodePermissionRule> Permission { get; init; } = [];

    /// <summary>The whole session object as opencode sent it.</summary>
    public JsonElement Raw { get; init; }

    /// <summary>A metadata value as text, or null.</summary>
    public string? MetadataValue(string key) => Metadata is { } metadata ? OpencodeJson.String(metadata, key) : null;

    /// <summary>Reads a session object.</summary>
    /// <exception cref="JsonException">It lacks the id or directory.</exception>
    public static OpencodeSession FromJson(JsonElement json)
    {
        JsonElement time = OpencodeJson.Property(json, "time") ?? default;
        return new OpencodeSession
        {
            Id = OpencodeJson.RequiredString(json, "id", "a session"),
            Directory = OpencodeJson.RequiredString(json, "directory", "a session"),
            Title = OpencodeJson.String(json, "title") ?? string.Empty,
            ProjectId = OpencodeJson.String(json, "projectID"),
            ParentId = OpencodeJson.String(json, "parentID"),
            Slug = OpencodeJson.String(json, "slug"),
            Version = OpencodeJson.String(json, "version"),
            Created = OpencodeJson.UnixMilliseconds(OpencodeJson.Number(time, "created")),
            Updated = OpencodeJson.UnixMilliseconds(OpencodeJson.Number(time, "updated")),
            Metadata = OpencodeJson.Property(json, "metadata"),
            Permission = OpencodeJson.Property(json, "permission") is { ValueKind: JsonValueKind.Array } rules
                ? rules.EnumerateArray()
                    .Select(r => (Permission: OpencodeJson.String(r, "permission"), Pattern: OpencodeJson.String(r, "pattern"), Action: OpencodeJson.Action(OpencodeJson.String(r, "action"))))
                    .Where(r => r.Permission is not null && r.Pattern is not null && r.Action is not null)
                    .Select(r => new OpencodePermissionRule(r.Permission!, r.Pattern!, r.Action!.Value))
                    .ToList()
                : [],
            Raw = json,
        };
    }
}
