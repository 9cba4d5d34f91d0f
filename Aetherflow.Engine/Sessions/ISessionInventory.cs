namespace Aetherflow.Engine.Sessions;

/// <summary>
/// The sessions that exist right now on the servers the engine talks to — for opencode, <c>GET /session</c> plus
/// <c>GET /session/status</c>. The registry uses it to rebuild a corrupt <c>sessions.json</c> and to find records
/// whose session is gone (<see cref="SessionRegistry.MarkStaleAsync"/>).
/// </summary>
public interface ISessionInventory
{
    /// <summary>
    /// Lists the live sessions. Throws when a server cannot be asked: an unreachable server says nothing about
    /// whether its sessions still exist, so it must not be reported as a server with no sessions.
    /// </summary>
    Task<LiveSessionList> ListLiveSessionsAsync(CancellationToken cancellationToken);
}
