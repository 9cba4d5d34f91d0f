using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Pool;
using Aetherflow.Engine.Scheduling;
using Aetherflow.Engine.Sessions;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// The in-process engine: owns the configuration, the agent pool, the poller in auto mode, and the state every client
/// sees. Clients use it only through <see cref="IEngine"/>.
/// </summary>
public sealed class AetherflowEngine : IEngine, IAsyncDisposable
{
    private readonly EngineStateStore state;
    private readonly EngineOptions options;
    private readonly ILogger logger;
    private readonly EngineComponents? components;
    private readonly AgentPool? pool;
    private readonly AgentInspector? inspector;
    private readonly SessionCatalog sessions;
    private readonly AgentEventAttribution attribution;
    private readonly CancellationTokenSource stopping = new();
    private TaskPoller? poller;
    private IReadOnlyList<string> poolWarnings = [];
    private int disposed;
    private Task? reconciling;
    private Task? registryHousekeeping;
    private volatile bool acceptingWork = true;

    /// <param name="config">The effective configuration.</param>
    /// <param name="options">Clock, logging, environment.</param>
    /// <param name="components">The tracker, runtime, workspaces and prompts; null for an engine without a pool.</param>
    public AetherflowEngine(AetherflowConfig config, EngineOptions options, EngineComponents? components = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        Config = config;
        this.options = options;
        this.components = components;
        logger = options.LoggerFactory.CreateLogger<AetherflowEngine>();
        Identity = new EngineIdentity
        {
            ProtocolVersion = BuildInfo.ProtocolVersion,
            MinProtocolVersion = BuildInfo.MinProtocolVersion,
            BuildVersion = BuildInfo.Version,
            Project = config.Project,
            ProjectDirectory = config.ProjectDirectory,
            Pid = Environment.ProcessId,
            StartedAt = options.TimeProvider.GetUtcNow(),
            Headless = options.Headless,
        };
        state = new EngineStateStore(new EngineSnapshot
        {
            Project = config.Project,
            PoolSize = config.PoolSize,
            Mode = PoolMode.Active,
            SpawnPolicy = config.SpawnPolicy,
            Runtime = config.Runtime,
            TaskSource = config.TaskSource,
            Warnings = components is null ? ["no agent runtime is configured in this engine"] : components.Warnings,
        });
        state.Changed += (_, snapshot) => SnapshotChanged?.Invoke(this, snapshot);
        sessions = new SessionCatalog(components?.Registry, components?.Opencode, config);
        attribution = new AgentEventAttribution(() => Snapshot.Agents, appended => EventsAppended?.Invoke(this, appended));
        if (components is not null)
        {
            pool = new AgentPool(
                new PoolServices
                {
                    Tasks = components.Tasks,
                    Runtime = components.Runtime,
                    Workspaces = components.Workspaces,
                    Prompts = components.Prompts,
                    Sessions = components.Sessions,
                    Time = options.TimeProvider,
                    Logger = options.LoggerFactory.CreateLogger<AgentPool>(),
                },
                new PoolOptions
                {
                    PoolSize = config.PoolSize,
                    MaxRetries = config.MaxRetries,
                    RetryBackoff = config.RetryBackoff,
                    RetryBackoffMax = config.RetryBackoffMax,
                    HangAction = config.HangAction,
                    Solo = config.Solo,
                });
            pool.StateChanged += (_, poolState) =>
            {
                poolWarnings = poolState.Warnings;
                state.Update(s => s with
                {
                    Mode = poolState.Mode,
                    Agents = poolState.Agents,
                    Queue = poolState.Queue,
                    Warnings = Warnings(),
                });
                attribution.Published();
            };
            inspector = new AgentInspector(components, options.TimeProvider, options.LoggerFactory);
            if (components.Events is { } events)
            {
                events.Appended += OnEventsAppended;
            }

            if (components.Opencode is { } backend)
            {
                backend.ConditionChanged += (_, _) => state.Update(s => s with { Warnings = Warnings() });
            }
            pool.Decided += (_, decision) => state.Record(decision);
        }
    }

    public event EventHandler<EngineSnapshot>? SnapshotChanged;

    public event EventHandler<AgentEventsAppended>? EventsAppended;

    /// <summary>The components the engine was composed of (null for an engine without agents).</summary>
    public EngineComponents? Components => components;

    /// <summary>The effective configuration the engine runs with.</summary>
    public AetherflowConfig Config { get; }

    public EngineIdentity Identity { get; }

    public EngineSnapshot Snapshot => state.Current;

    /// <summary>Starts the pool, and in auto mode the poller that feeds it.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation(
            "Engine started for project {Project} in {Directory} (policy {Policy}, pool {PoolSize}, runtime {Runtime}, tracker {Tracker})",
            Config.Project, Config.ProjectDirectory, Config.SpawnPolicy, Config.PoolSize, Config.Runtime, Config.TaskSource);
        if (pool is null || components is null)
        {
            return Task.CompletedTask;
        }

        foreach (string note in components.StartupNotes)
        {
            state.Record(new EngineDecision { At = options.TimeProvider.GetUtcNow(), Kind = "recover", Message = note });
        }

        pool.Start();
        if (components.Housekeeping is { } housekeeping)
        {
            registryHousekeeping = housekeeping.RunAsync(stopping.Token);
        }
        if (Config.SpawnPolicy == SpawnPolicy.Auto)
        {
            poller = new TaskPoller(pool, Config.PollInterval, components.Tasks.ChangeSignalPath, options.TimeProvider, options.LoggerFactory.CreateLogger<TaskPoller>());
            poller.Start();
            if (components.Reconciler is { } reconciler && !Config.Solo)
            {
                reconciling = reconciler.RunAsync(RecordReconcile, stopping.Token);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>False once the engine is stopping: it takes no new agents and its pool cannot be resumed.</summary>
    public bool AcceptingWork => acceptingWork;

    /// <summary>
    /// The first step of stopping: from now on spawns and resuming are refused, and the pool goes to
    /// <paramref name="mode"/> — draining (running agents finish, crashed ones are still respawned so their tasks are
    /// not orphaned) or paused (nothing is respawned while the agents are being stopped).
    /// </summary>
    public async Task StopAcceptingWorkAsync(PoolMode mode, string reason, CancellationToken cancellationToken)
    {
        if (mode == PoolMode.Active)
        {
            throw new ArgumentException("a stopping engine's pool is draining or paused, not active", nameof(mode));
        }

        acceptingWork = false;
        logger.LogInformation("Engine stops accepting work ({Reason}); pool {Mode}", reason, Word(mode));
        await ChangeModeAsync(mode, cancellationToken).ConfigureAwait(false);
    }

    public Task<PoolMode> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken)
    {
        if (mode == PoolMode.Active && !acceptingWork)
        {
            throw new InvalidOperationException("the engine is stopping; its pool cannot be resumed");
        }

        return ChangeModeAsync(mode, cancellationToken);
    }

    private async Task<PoolMode> ChangeModeAsync(PoolMode mode, CancellationToken cancellationToken)
    {
        if (pool is null)
        {
            PoolMode previous = Snapshot.Mode;
            state.Update(s => s.Mode == mode ? s : s with { Mode = mode });
            if (previous != mode)
            {
                state.Record(new EngineDecision { At = options.TimeProvider.GetUtcNow(), Kind = "mode", Message = $"pool {Word(previous)} → {Word(mode)}" });
            }

            return mode;
        }

        PoolMode result = await pool.SetModeAsync(mode, cancellationToken).ConfigureAwait(false);
        if (result == PoolMode.Active)
        {
            poller?.Wake();
        }

        return result;
    }

    public Task<AgentInfo> SpawnAsync(SpawnRequest request, CancellationToken cancellationToken) =>
        acceptingWork
            ? RequirePool().SpawnAsync(request, cancellationToken)
            : throw new InvalidOperationException("the engine is stopping and takes no new agents; start it again to spawn");

    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken) => sessions.ListAsync(cancellationToken);

    public Task<SessionAttachInfo> GetSessionAttachAsync(string sessionId, CancellationToken cancellationToken) =>
        sessions.AttachAsync(sessionId, cancellationToken);

    public Task<AgentDetail> GetAgentAsync(string agentName, CancellationToken cancellationToken) =>
        inspector is null ? Task.FromResult(new AgentDetail { Agent = FindAgent(agentName) }) : inspector.GetAsync(FindAgent(agentName), cancellationToken);

    public Task<EventPage> ReadEventsAsync(string agentName, long afterSequence, int limit, bool raw, CancellationToken cancellationToken) =>
        Task.FromResult(inspector?.Read(FindAgent(agentName), afterSequence, limit, raw) ?? new EventPage { NextCursor = afterSequence });

    public Task<PermissionRequestInfo> AnswerPermissionAsync(string agentName, PermissionReply reply, CancellationToken cancellationToken) =>
        (inspector ?? throw new NotSupportedException("this engine runs no agents")).AnswerAsync(FindAgent(agentName), reply, cancellationToken);

    public Task SteerAsync(string agentName, string message, string sender, CancellationToken cancellationToken) =>
        RequirePool().SteerAgentAsync(agentName, message, sender, cancellationToken);

    public Task StopAgentAsync(string agentName, string requestedBy, CancellationToken cancellationToken) =>
        RequirePool().StopAgentAsync(agentName, requestedBy, cancellationToken);

    public Task<SessionAttachInfo> GetAgentAttachAsync(string agentName, CancellationToken cancellationToken)
    {
        AgentInfo agent = FindAgent(agentName);
        return Task.FromResult(inspector?.Attach(agent) ?? throw new NotSupportedException($"{agent.Name} has no opencode session to attach to (this engine runs no agents)"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        if (reconciling is not null)
        {
            try
            {
                await reconciling.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        if (registryHousekeeping is not null)
        {
            try
            {
                await registryHousekeeping.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        if (poller is not null)
        {
            await poller.DisposeAsync().ConfigureAwait(false);
        }

        if (pool is not null)
        {
            await pool.ShutdownAsync(stopAgents: true, CancellationToken.None).ConfigureAwait(false);
        }

        if (components is not null)
        {
            foreach (IAsyncDisposable owned in components.Owned.Reverse())
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
        }

        stopping.Dispose();
        logger.LogInformation("Engine stopped");
    }

    private void RecordReconcile(IReadOnlyList<ReconcileDecision> decisions)
    {
        foreach (ReconcileDecision decision in decisions.Where(d => !d.Repeated))
        {
            state.Record(new EngineDecision
            {
                At = options.TimeProvider.GetUtcNow(),
                Kind = decision.Outcome == ReconcileOutcome.Landed ? "done" : "reconcile",
                TaskId = decision.TaskId,
                Message = decision.Message,
            });
        }
    }

    /// <summary>Finds an agent by name, or by its task or spawn id; the newest when a task was worked on several times.</summary>
    private AgentInfo FindAgent(string nameOrWorkId) =>
        Snapshot.Agents.LastOrDefault(a => a.Name == nameOrWorkId) ?? Snapshot.Agents.LastOrDefault(a => a.TaskId == nameOrWorkId)
        ?? throw new KeyNotFoundException($"no agent is named '{nameOrWorkId}' (and none works on a task with that id)");

    private void OnEventsAppended(object? sender, SessionEventsAppendedEventArgs appended)
    {
        if (EventsAppended is null || appended.Events.Count == 0)
        {
            return;
        }

        attribution.Appended(appended.SessionId, appended.Events[0].Sequence, appended.Events[^1].Sequence);
    }

    // Everything wrong right now, one line each: composition problems, the tracker, the opencode server and stream,
    // and the event journal.
    private IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>(components?.Warnings ?? []);
        warnings.AddRange(poolWarnings);
        if (components?.Opencode?.Problem is { } problem)
        {
            warnings.Add(problem);
        }

        if (components?.Events?.Health is { IsDegraded: true } health)
        {
            warnings.AddRange(health.Warnings);
        }

        return warnings;
    }

    private AgentPool RequirePool() =>
        pool ?? throw new NotSupportedException("this engine runs no agents (no runtime is configured)");

    private static string Word(PoolMode mode) => mode.ToString().ToLowerInvariant();

}
