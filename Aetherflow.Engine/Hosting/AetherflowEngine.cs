using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// The in-process engine: owns the configuration, the state every client sees, and the background components that
/// change it. Clients use it only through <see cref="IEngine"/>.
/// </summary>
public sealed class AetherflowEngine : IEngine, IAsyncDisposable
{
    private readonly EngineStateStore state;
    private readonly EngineOptions options;
    private readonly ILogger logger;

    public AetherflowEngine(AetherflowConfig config, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        Config = config;
        this.options = options;
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
        });
        state.Changed += (_, snapshot) => SnapshotChanged?.Invoke(this, snapshot);
    }

    public event EventHandler<EngineSnapshot>? SnapshotChanged;

    /// <summary>The effective configuration the engine runs with.</summary>
    public AetherflowConfig Config { get; }

    public EngineIdentity Identity { get; }

    public EngineSnapshot Snapshot => state.Current;

    /// <summary>Starts the background components.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation(
            "Engine started for project {Project} in {Directory} (policy {Policy}, pool {PoolSize}, runtime {Runtime})",
            Config.Project, Config.ProjectDirectory, Config.SpawnPolicy, Config.PoolSize, Config.Runtime);
        return Task.CompletedTask;
    }

    public Task<PoolMode> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken)
    {
        PoolMode previous = Snapshot.Mode;
        if (previous != mode)
        {
            state.Update(s => s with { Mode = mode });
            state.Record(new EngineDecision
            {
                At = options.TimeProvider.GetUtcNow(),
                Kind = "mode",
                Message = $"pool {previous.ToString().ToLowerInvariant()} → {mode.ToString().ToLowerInvariant()}",
            });
            logger.LogInformation("Pool mode {From} -> {To}", previous, mode);
        }

        return Task.FromResult(mode);
    }

    public ValueTask DisposeAsync()
    {
        logger.LogInformation("Engine stopped");
        return ValueTask.CompletedTask;
    }
}
