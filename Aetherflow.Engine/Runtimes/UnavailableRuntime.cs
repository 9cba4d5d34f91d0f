namespace Aetherflow.Engine.Runtimes;

/// <summary>
/// Stands in for a runtime that could not be set up (opencode missing, its server failed to start): the engine still
/// runs and shows why, and every launch fails with that reason, so claimed tasks go straight back to open.
/// </summary>
public sealed class UnavailableRuntime : IAgentRuntime
{
    public UnavailableRuntime(string name, string reason)
    {
        Name = name;
        Reason = reason;
    }

    public string Name { get; }

    /// <summary>Why agents cannot start, in one line that says what to do.</summary>
    public string Reason { get; }

    public Task<IAgentHandle> StartAsync(AgentLaunch launch, CancellationToken cancellationToken) => throw new AgentLaunchException(Reason);
}
