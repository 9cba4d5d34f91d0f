namespace Aetherflow.Engine.Runtimes;

/// <summary>One running agent, as its runtime reports it.</summary>
public interface IAgentHandle : IAsyncDisposable
{
    /// <summary>The latest status; never null.</summary>
    AgentRuntimeStatus Status { get; }

    /// <summary>Raised (on any thread) after <see cref="Status"/> changed.</summary>
    event EventHandler<AgentRuntimeStatus>? StatusChanged;

    /// <summary>Completes once, when the agent has finished — cleanly or not. Never faults; failures are outcomes.</summary>
    Task<AgentOutcome> Completion { get; }

    /// <summary>A liveness probe independent of <see cref="Completion"/>: false when the agent vanished.</summary>
    bool IsAlive();

    /// <summary>
    /// Stops the agent: a polite stop first (SIGTERM to its process group, or an abort of its session), then a forced
    /// one after <paramref name="grace"/>. Returns when <see cref="Completion"/> has completed.
    /// </summary>
    Task StopAsync(TimeSpan grace, CancellationToken cancellationToken);
}
