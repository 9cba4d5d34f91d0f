namespace Aetherflow.Engine.Api;

/// <summary>
/// How to open opencode's own interface on an agent's session:
/// <c>opencode attach &lt;Url&gt; --session &lt;SessionId&gt; [--dir &lt;Directory&gt;]</c>, with
/// <c>OPENCODE_SERVER_USERNAME</c> and <c>OPENCODE_SERVER_PASSWORD</c> in its environment. It carries the server's
/// credentials, so it is only handed out on request (<c>agent.attach</c>), never as part of a status or detail.
/// </summary>
public sealed record AttachInfo
{
    /// <summary>The opencode server, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The agent's session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The folder the session works in (the agent's worktree), when it has its own.</summary>
    public string? Directory { get; init; }

    /// <summary>The Basic-auth user of the server.</summary>
    public string Username { get; init; } = "opencode";

    /// <summary>The server password, for <c>OPENCODE_SERVER_PASSWORD</c> (never argv, where other users can read it); null for an unsecured server.</summary>
    public string? Password { get; init; }
}
