namespace Aetherflow.Engine.Api;

/// <summary>
/// The engine as its clients see it: a current snapshot, a notification when it changes, and commands. The dashboard
/// and the CLI use only this, so the same views run against the in-process engine and a remote one over the socket.
/// </summary>
public interface IEngine
{
    /// <summary>Who this engine is.</summary>
    EngineIdentity Identity { get; }

    /// <summary>The latest snapshot; never null.</summary>
    EngineSnapshot Snapshot { get; }

    /// <summary>
    /// Raised after <see cref="Snapshot"/> changed, on an arbitrary thread, with the new snapshot. Handlers must be quick
    /// and must not block: marshal to a UI thread and coalesce redraws there.
    /// </summary>
    event EventHandler<EngineSnapshot>? SnapshotChanged;

    /// <summary>Raised (on any thread) when new events were recorded for an agent; read them with <see cref="ReadEventsAsync"/>.</summary>
    event EventHandler<AgentEventsAppended>? EventsAppended;

    /// <summary>One agent in detail: tool calls, task, pending permissions. Throws <see cref="KeyNotFoundException"/> for an unknown agent.</summary>
    Task<AgentDetail> GetAgentAsync(string agentName, CancellationToken cancellationToken);

    /// <summary>An agent's events after <paramref name="afterSequence"/>, formatted; with <paramref name="raw"/> the payloads too.</summary>
    Task<EventPage> ReadEventsAsync(string agentName, long afterSequence, int limit, bool raw, CancellationToken cancellationToken);

    /// <summary>Answers the agent's oldest pending permission request; returns it. Throws when there is none.</summary>
    Task<PermissionRequestInfo> AnswerPermissionAsync(string agentName, PermissionReply reply, CancellationToken cancellationToken);

    /// <summary>Changes the pool's mode and returns the resulting mode.</summary>
    Task<PoolMode> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken);

    /// <summary>Starts a one-off agent from a person's prompt (it takes no pool slot).</summary>
    Task<AgentInfo> SpawnAsync(SpawnRequest request, CancellationToken cancellationToken);

    /// <summary>Sends a message into a running agent's session, recorded in its event stream with who sent it.</summary>
    Task SteerAsync(string agentName, string message, string sender, CancellationToken cancellationToken);

    /// <summary>Stops an agent; it is not respawned, and a pool task goes back to open.</summary>
    Task StopAgentAsync(string agentName, string requestedBy, CancellationToken cancellationToken);

    /// <summary>This project's sessions from the session registry, most recently updated first (empty without one).</summary>
    Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Where and how to attach an opencode TUI to one of this project's sessions. Throws
    /// <see cref="KeyNotFoundException"/> for an unknown session and <see cref="NotSupportedException"/> when its server
    /// cannot be reached through this engine.
    /// </summary>
    Task<SessionAttachInfo> GetSessionAttachAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Where and how to attach an opencode TUI to an agent's session. Throws <see cref="KeyNotFoundException"/> for an
    /// unknown agent and <see cref="NotSupportedException"/> when the agent has no opencode session.
    /// </summary>
    Task<SessionAttachInfo> GetAgentAttachAsync(string agentName, CancellationToken cancellationToken);
}
