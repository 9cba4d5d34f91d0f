namespace Aetherflow.Engine.Sessions;

/// <summary>One session a server reports as existing.</summary>
public sealed record LiveSession
{
    /// <summary>The server that holds it.</summary>
    public required string ServerRef { get; init; }

    /// <summary>opencode's session id.</summary>
    public required string SessionId { get; init; }

    /// <summary>The folder the session works in.</summary>
    public string? Directory { get; init; }

    /// <summary>The session's title.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// The metadata the session was created with; aetherflow tags its sessions with the
    /// <see cref="SessionMetadataKeys"/> keys, which is how a lost registry is rebuilt.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>True while the server is working in the session (opencode status <c>busy</c> or <c>retry</c>).</summary>
    public bool Busy { get; init; }

    /// <summary>When the server created the session, when it says.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
