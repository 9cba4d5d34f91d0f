using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>How <see cref="ProgTaskSource"/> runs the prog CLI. Defaults are set here, at construction.</summary>
public sealed record ProgOptions
{
    /// <summary>The default time one prog call may take before it is killed.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The prog project whose tasks the engine works on (validated as a project name).</summary>
    public required string Project { get; init; }

    /// <summary>The prog executable (config <c>prog_bin</c>): a name looked up on the environment's PATH, or a path.</summary>
    public string Executable { get; init; } = "prog";

    /// <summary>How long one prog call may take; each attempt of a call gets its own timeout.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// The engine's environment. It is passed to prog (so <c>PROG_DB</c> and <c>HOME</c> pick its database) and its
    /// <c>PATH</c> is searched for <see cref="Executable"/>; the process environment is never read directly.
    /// </summary>
    public HostEnvironment Environment { get; init; } = HostEnvironment.FromProcess();

    /// <summary>The clock for timeouts and retry backoff.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// How many prog processes may run at once. One by default: prog's SQLite database takes one writer at a time,
    /// and the original tool's reclaim and poll collided on it ("database is locked").
    /// </summary>
    public int MaxConcurrentCalls { get; init; } = 1;

    /// <summary>How often a call that failed with "database is locked" is tried again.</summary>
    public int LockedRetries { get; init; } = 3;

    /// <summary>The wait before the first retry of a locked call; it grows linearly with each further attempt.</summary>
    public TimeSpan LockedRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most standard output one call may produce; more is an error rather than unbounded memory.</summary>
    public int MaxOutputBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Options for the engine's configuration: <c>project</c>, <c>prog_bin</c>, the engine's clock, logging and environment.</summary>
    public static ProgOptions From(AetherflowConfig config, EngineOptions engine)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(engine);
        return new ProgOptions
        {
            Project = config.Project,
            Executable = config.ProgBin,
            Environment = engine.Environment,
            TimeProvider = engine.TimeProvider,
            Logger = engine.LoggerFactory.CreateLogger<ProgTaskSource>(),
        };
    }
}
