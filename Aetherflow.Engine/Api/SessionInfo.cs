namespace Aetherflow.Engine.Api;

/// <summary>
/// One opencode session of this project as the session registry records it: what <c>sessions.list</c> returns and
/// <c>aetherflow sessions</c> shows. Text is as stored: sanitise before display.
/// </summary>
public sealed record SessionInfo
{
    /// <summary>opencode's session id, e.g. <c>ses_4f1c…</c>.</summary>
    public required string SessionId { get; init; }

    /// <summary>The server that holds the session: <c>managed:&lt;project&gt;</c> or a loopback URL.</summary>
    public required string ServerRef { get; init; }

    /// <summary><c>active</c>, <c>idle</c>, <c>terminated</c> or <c>stale</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>pool</c>, <c>spawn</c> or <c>manual</c>, when known.</summary>
    public string? Origin { get; init; }

    /// <summary>The task id (pool) or spawn id (spawn) the session works on.</summary>
    public string? WorkRef { get; init; }

    /// <summary>The agent's name when it was recorded (names are reused over time).</summary>
    public string? Agent { get; init; }

    /// <summary>The folder the session works in.</summary>
    public string? Directory { get; init; }

    public string? Project { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the session was last known to be alive.</summary>
    public DateTimeOffset LastSeenAt { get; init; }
}
