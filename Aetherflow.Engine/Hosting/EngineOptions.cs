using Aetherflow.Engine.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Hosting;

/// <summary>The engine's seams: clock, logging and environment. Defaults are set here, at construction.</summary>
public sealed record EngineOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public HostEnvironment Environment { get; init; } = HostEnvironment.FromProcess();

    /// <summary>The socket's frame size and subscriber limits.</summary>
    public Rpc.RpcLimits RpcLimits { get; init; } = new();

    /// <summary>True when no dashboard runs in this process.</summary>
    public bool Headless { get; init; }

    /// <summary>
    /// The folder holding the <c>aetherflow</c> executable, put first on agents' PATH so the prompts' tracker commands
    /// (<c>aetherflow task …</c>) reach this build; null leaves PATH alone.
    /// </summary>
    public string? CliDirectory { get; init; }

    /// <summary>
    /// Adjusts the managed opencode server's options before it starts — the demo and the tests point it at the scripted
    /// model and an isolated home here. Null leaves the user's own opencode configuration in charge.
    /// </summary>
    public Func<Opencode.OpencodeServerOptions, Opencode.OpencodeServerOptions>? ConfigureOpencodeServer { get; init; }

    /// <summary>Records the process groups the engine starts (set by the composition).</summary>
    public Platform.ProcessLedger? Ledger { get; init; }

    /// <summary>
    /// Builds the engine's components (tracker, runtime, workspaces, prompts) for a configuration; null runs an engine
    /// with no pool (it still serves its state on the socket).
    /// </summary>
    public Func<AetherflowConfig, EngineOptions, CancellationToken, Task<EngineComponents?>>? Components { get; init; }
}
