using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Opencode;

/// <summary>How to run a managed <c>opencode serve</c>.</summary>
public sealed record OpencodeServerOptions
{
    /// <summary>The opencode program (a path, or a name looked up on PATH).</summary>
    public required string ExecutablePath { get; init; }

    /// <summary>The server's working directory (sessions without a directory work here); null for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The environment the server starts from; null for this process's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Extra variables, applied over <see cref="Environment"/> (the variables the server manages win over both).</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// An extra opencode config passed as <c>OPENCODE_CONFIG_CONTENT</c> (for tests and the demo). opencode merges it
    /// over the user's config; null leaves the user's provider configuration alone.
    /// </summary>
    public string? ConfigContent { get; init; }

    /// <summary>
    /// When set, the server gets its own <c>HOME</c> and XDG folders under this directory (for tests and the demo), and
    /// its global config dir is pre-seeded so opencode does not try to npm-install its plugin package.
    /// </summary>
    public string? IsolatedHome { get; init; }

    /// <summary>
    /// The engine socket for the aetherflow-events plugin. When set and the plugin is installed in a config dir this
    /// server loads (<see cref="OpencodeEventPlugin.FindInstalled"/>), the server gets <c>AETHERFLOW_SOCKET</c> (and
    /// <c>AETHERFLOW_PROJECT</c> = <see cref="EventProject"/>), so the plugin pushes its events to the engine as a second
    /// source beside the event stream. Inherited values of both variables are always removed — they could name another
    /// project's engine — unless <see cref="ExtraEnvironment"/> sets them explicitly.
    /// </summary>
    public string? EventSocketPath { get; init; }

    /// <summary>The project the plugin forwards for (<c>AETHERFLOW_PROJECT</c>), with <see cref="EventSocketPath"/>.</summary>
    public string? EventProject { get; init; }

    /// <summary>What happens when a tool reaches outside the session directory.</summary>
    public OpencodePermissionAction ExternalDirectory { get; init; } = OpencodePermissionAction.Allow;

    /// <summary>What happens when opencode detects a repeated tool-call loop.</summary>
    public OpencodePermissionAction DoomLoop { get; init; } = OpencodePermissionAction.Allow;

    /// <summary>Sets <c>OPENCODE_DISABLE_MODELS_FETCH=1</c> (offline: use the models catalog built into opencode).</summary>
    public bool DisableModelsFetch { get; init; }

    /// <summary>How long a start may take: until the "listening" line and a healthy <c>GET /global/health</c>.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long each health try may take during startup (early requests can hang forever).</summary>
    public TimeSpan HealthTryTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait between health tries during startup.</summary>
    public TimeSpan HealthRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a stop waits after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The delay before the first restart after an unexpected exit; doubled per consecutive failure.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between restarts.</summary>
    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A run at least this long counts as stable and resets the backoff.</summary>
    public TimeSpan StableRunTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After this many consecutive failed restarts supervision gives up (state <see cref="OpencodeServerState.Failed"/>).</summary>
    public int MaxConsecutiveRestarts { get; init; } = 10;

    /// <summary>
    /// When set, each server process is killed after this long even if Aetherflow itself dies (wrapped in coreutils
    /// <c>timeout</c>). For tests and the demo, so no opencode outlives its run.
    /// </summary>
    public TimeSpan? LifetimeLimit { get; init; }

    /// <summary>The clock for timeouts, the stop grace period and restart backoff.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives lifecycle logs and the server's output (at debug level).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Where the server's process group is recorded, so a crashed engine's successor can stop it; null records nothing.</summary>
    public Platform.ProcessLedger? Ledger { get; init; }
}
