using Aetherflow.Engine.Naming;
using Aetherflow.Engine.Runtimes;
using Aetherflow.Engine.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Pool;

/// <summary>What the pool works with. Defaults for the optional seams are set here.</summary>
public sealed record PoolServices
{
    public required ITaskSource Tasks { get; init; }

    public required IAgentRuntime Runtime { get; init; }

    public required IAgentWorkspaces Workspaces { get; init; }

    public required IAgentPrompts Prompts { get; init; }

    /// <summary>Finds sessions to resume when an orphaned task is adopted; null when the runtime has no sessions.</summary>
    public IResumableSessions? Sessions { get; init; }

    public AgentNameGenerator Names { get; init; } = new();

    /// <summary>Randomness for backoff jitter.</summary>
    public Random Random { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
