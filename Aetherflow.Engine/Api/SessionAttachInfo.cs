namespace Aetherflow.Engine.Api;

/// <summary>
/// What <c>opencode attach</c> needs to open a session's TUI: the reply to <c>session.attach</c>. The password is the
/// managed server's per-run password; the socket only serves the engine's own user, who could read it anyway.
/// </summary>
public sealed record SessionAttachInfo
{
    public required string SessionId { get; init; }

    /// <summary>The opencode server's base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public required string ServerUrl { get; init; }

    /// <summary>The folder the session works in (pass as <c>--dir</c>), when known.</summary>
    public string? Directory { get; init; }

    /// <summary>The HTTP Basic user name of the server.</summary>
    public string Username { get; init; } = "opencode";

    /// <summary>The server password, or null for a server without one.</summary>
    public string? Password { get; init; }
}
