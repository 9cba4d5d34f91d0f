namespace Aetherflow.Engine.Sessions;

/// <summary>
/// One opencode session in the registry (schema v1): which server holds it, which agent and task it belongs to, and
/// where it stands. Stored in <c>sessions.json</c> with snake_case names and RFC 3339 UTC times.
/// </summary>
public sealed record SessionRecord
{
    /// <summary><c>server_ref</c>: the server that holds the session, e.g. <c>http://127.0.0.1:4096</c>.</summary>
    public required string ServerRef { get; init; }

    /// <summary><c>session_id</c>: opencode's session id (<c>[A-Za-z0-9_-]{1,128}</c>).</summary>
    public required string SessionId { get; init; }

    /// <summary><c>directory</c>: the absolute folder the session works in, when known.</summary>
    public string? Directory { get; init; }

    /// <summary><c>project</c>: the aetherflow project, when known.</summary>
    public string? Project { get; init; }

    /// <summary><c>origin_type</c>: what started the session, when known.</summary>
    public SessionOrigin? OriginType { get; init; }

    /// <summary><c>work_ref</c>: the task id (pool) or spawn id (spawn) the session works on.</summary>
    public string? WorkRef { get; init; }

    /// <summary><c>agent_id</c>: the agent's name, e.g. <c>ghost_wolf</c> (names are reused over time).</summary>
    public string? AgentId { get; init; }

    /// <summary><c>status</c>.</summary>
    public SessionStatus Status { get; init; } = SessionStatus.Active;

    /// <summary><c>created_at</c>: when the record was first written; never changes.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>last_seen_at</c>: when the session was last known to be alive.</summary>
    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary><c>updated_at</c>: when the record last changed; <see cref="SessionRegistry.ListAsync"/> sorts on it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
