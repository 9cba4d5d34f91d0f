using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;

namespace Aetherflow.Tui.Ui.Startup;

/// <summary>
/// Stands in for an engine that is still starting (or whose connection is still being set up), so the dashboard can
/// draw at once instead of after the engine: until the engine is there, <see cref="Snapshot"/> is an empty stand-in
/// (<see cref="IsStandIn"/>) whose one warning says what is happening, and every command waits for the engine. Once it
/// is there, its snapshot replaces the stand-in (<see cref="SnapshotChanged"/> fires) and everything is forwarded to it.
/// If the start fails, commands fail with the start's exception; the caller closes the dashboard and reports it.
/// </summary>
internal sealed class StartingEngine : IEngine
{
    private const long StandInRevision = -1;
    private readonly object gate = new();
    private readonly EngineSnapshot standIn;
    private readonly EngineIdentity standInIdentity;
    private IEngine? engine;
    private EventHandler<EngineSnapshot>? snapshotChanged;
    private EventHandler<AgentEventsAppended>? eventsAppended;

    /// <param name="starting">The engine's start; it completes with the engine.</param>
    /// <param name="project">The project the header names until the engine does (empty when not known yet).</param>
    /// <param name="activity">What the status line says meanwhile, e.g. <c>starting the engine…</c>.</param>
    public StartingEngine(Task<IEngine> starting, string project, string activity)
    {
        ArgumentNullException.ThrowIfNull(starting);
        standIn = new EngineSnapshot { Revision = StandInRevision, Project = project, Runtime = string.Empty, TaskSource = string.Empty, Warnings = [activity] };
        standInIdentity = new EngineIdentity { BuildVersion = BuildInfo.Version, Project = project, ProjectDirectory = string.Empty };
        Ready = AdoptAsync(starting);
    }

    /// <summary>Completes with the engine once it is there; faults with the start's exception.</summary>
    public Task<IEngine> Ready { get; }

    public EngineIdentity Identity => Volatile.Read(ref engine)?.Identity ?? standInIdentity;

    public EngineSnapshot Snapshot => Volatile.Read(ref engine)?.Snapshot ?? standIn;

    /// <summary>
    /// Raised when the snapshot changed: once when the engine arrives, then for each of the engine's changes. A handler
    /// added after the engine arrived also gets one call (on the thread pool), so whoever read the stand-in just before
    /// subscribing still learns that the engine is there.
    /// </summary>
    public event EventHandler<EngineSnapshot>? SnapshotChanged
    {
        add
        {
            IEngine? current;
            lock (gate)
            {
                snapshotChanged += value;
                current = engine;
            }

            if (current is not null && value is not null)
            {
                ThreadPool.QueueUserWorkItem(_ => value(this, current.Snapshot));
            }
        }

        remove
        {
            lock (gate)
            {
                snapshotChanged -= value;
            }
        }
    }

    public event EventHandler<AgentEventsAppended>? EventsAppended
    {
        add
        {
            lock (gate)
            {
                eventsAppended += value;
            }
        }

        remove
        {
            lock (gate)
            {
                eventsAppended -= value;
            }
        }
    }

    /// <summary>True for the stand-in snapshot shown while the engine starts (views say so instead of "no agents").</summary>
    public static bool IsStandIn(EngineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Revision == StandInRevision;
    }

    public async Task<AgentDetail> GetAgentAsync(string agentName, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).GetAgentAsync(agentName, cancellationToken).ConfigureAwait(false);

    public async Task<EventPage> ReadEventsAsync(string agentName, long afterSequence, int limit, bool raw, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).ReadEventsAsync(agentName, afterSequence, limit, raw, cancellationToken).ConfigureAwait(false);

    public async Task<PermissionRequestInfo> AnswerPermissionAsync(string agentName, PermissionReply reply, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).AnswerPermissionAsync(agentName, reply, cancellationToken).ConfigureAwait(false);

    public async Task<PoolMode> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).SetPoolModeAsync(mode, cancellationToken).ConfigureAwait(false);

    public async Task<AgentInfo> SpawnAsync(SpawnRequest request, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).SpawnAsync(request, cancellationToken).ConfigureAwait(false);

    public async Task SteerAsync(string agentName, string message, string sender, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).SteerAsync(agentName, message, sender, cancellationToken).ConfigureAwait(false);

    public async Task StopAgentAsync(string agentName, string requestedBy, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).StopAgentAsync(agentName, requestedBy, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).ListSessionsAsync(cancellationToken).ConfigureAwait(false);

    public async Task<SessionAttachInfo> GetSessionAttachAsync(string sessionId, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).GetSessionAttachAsync(sessionId, cancellationToken).ConfigureAwait(false);

    public async Task<SessionAttachInfo> GetAgentAttachAsync(string agentName, CancellationToken cancellationToken) =>
        await (await EngineAsync(cancellationToken).ConfigureAwait(false)).GetAgentAttachAsync(agentName, cancellationToken).ConfigureAwait(false);

    private Task<IEngine> EngineAsync(CancellationToken cancellationToken) => Ready.WaitAsync(cancellationToken);

    private async Task<IEngine> AdoptAsync(Task<IEngine> starting)
    {
        IEngine started = await starting.ConfigureAwait(false);
        EventHandler<EngineSnapshot>? handlers;
        lock (gate)
        {
            started.SnapshotChanged += OnSnapshotChanged;
            started.EventsAppended += OnEventsAppended;
            Volatile.Write(ref engine, started);
            handlers = snapshotChanged;
        }

        handlers?.Invoke(this, started.Snapshot);
        return started;
    }

    private void OnSnapshotChanged(object? sender, EngineSnapshot next)
    {
        Volatile.Read(ref snapshotChanged)?.Invoke(this, next);
    }

    private void OnEventsAppended(object? sender, AgentEventsAppended appended)
    {
        Volatile.Read(ref eventsAppended)?.Invoke(this, appended);
    }
}
