using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Pool;

/// <summary>An immutable picture of the pool: mode, agents (running, backing off and recently finished) and queue.</summary>
public sealed record PoolState
{
    public PoolMode Mode { get; init; }

    public int PoolSize { get; init; }

    public IReadOnlyList<AgentInfo> Agents { get; init; } = [];

    public IReadOnlyList<QueuedTask> Queue { get; init; } = [];

    /// <summary>Current problems (tracker unreachable…), one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
