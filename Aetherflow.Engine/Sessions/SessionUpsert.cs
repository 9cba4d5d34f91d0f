namespace Aetherflow.Engine.Sessions;

/// <summary>
/// A change to one session's record for <see cref="SessionRegistry.UpsertAsync"/>. The key fields are required; every
/// other field left null keeps its stored value, so a partial update never drops what another writer recorded.
/// </summary>
public sealed record SessionUpsert
{
    /// <summary>The server that holds the session.</summary>
    public required string ServerRef { get; init; }

    /// <summary>opencode's session id.</summary>
    public required string SessionId { get; init; }

    /// <summary>The absolute folder the session works in, or null to keep the stored one.</summary>
    public string? Directory { get; init; }

    /// <summary>The aetherflow project, or null to keep the stored one.</summary>
    public string? Project { get; init; }

    /// <summary>What started the session, or null to keep the stored one.</summary>
    public SessionOrigin? OriginType { get; init; }

    /// <summary>The task or spawn id, or null to keep the stored one.</summary>
    public string? WorkRef { get; init; }

    /// <summary>The agent's name, or null to keep the stored one.</summary>
    public string? AgentId { get; init; }

    /// <summary>The new status, or null to keep the stored one (a new record starts <see cref="SessionStatus.Active"/>).</summary>
    public SessionStatus? Status { get; init; }
}
