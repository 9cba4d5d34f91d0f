namespace Aetherflow.Engine.Api;

/// <summary>One opencode session of the project as the session registry records it: what <c>sessions.list</c> returns.</summary>
public sealed record SessionInfo
{
    /// <summary>opencode's session id.</summary>
    public required string SessionId { get; init; }

    /// <summary>The server that holds the session, e.g. <c>managed:myapp</c> or <c>http://127.0.0.1:4096/</c>.</summary>
    public required string ServerRef { get; init; }

    /// <summary><c>active</c>, <c>idle</c>, <c>terminated</c> or <c>stale</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>pool</c>, <c>spawn</c> or <c>manual</c>, when known.</summary>
    public string? Origin { get; init; }

    /// <summary>The task id or spawn id the session works on.</summary>
    public string? WorkRef { get; init; }

    /// <summary>The agent that ran in it last (names are reused over time).</summary>
    public string? Agent { get; init; }

    /// <summary>The folder the session works in.</summary>
    public string? Directory { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the record last changed; the list is sorted on it, newest first.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
