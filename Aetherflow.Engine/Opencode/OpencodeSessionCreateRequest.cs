namespace Aetherflow.Engine.Opencode;

/// <summary>What <c>POST /session</c> is given. A title also stops opencode's extra title-generation model call.</summary>
public sealed record OpencodeSessionCreateRequest
{
    /// <summary>The session title.</summary>
    public string? Title { get; init; }

    /// <summary>Tags stored with the session and echoed in its events (how the engine recognises its sessions).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Permission rules for this session, merged over the server's.</summary>
    public IReadOnlyList<OpencodePermissionRule>? Permission { get; init; }

    /// <summary>The parent session, for a child session.</summary>
    public string? ParentId { get; init; }

    /// <summary>The agent (opencode's default is <c>build</c>).</summary>
    public string? Agent { get; init; }
}
