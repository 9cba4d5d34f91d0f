using Aetherflow.Engine.Config;

namespace Aetherflow.Engine.Api;

/// <summary>
/// An immutable picture of the engine at one moment — what <c>status.get</c> returns and what the dashboard draws.
/// A new snapshot with a higher <see cref="Revision"/> replaces it on every change.
/// </summary>
public sealed record EngineSnapshot
{
    /// <summary>Increases by one on every change.</summary>
    public long Revision { get; init; }

    public required string Project { get; init; }

    public int PoolSize { get; init; }

    public PoolMode Mode { get; init; }

    public SpawnPolicy SpawnPolicy { get; init; }

    /// <summary><c>opencode</c> or <c>command</c>.</summary>
    public required string Runtime { get; init; }

    /// <summary><c>builtin</c> or <c>prog</c>.</summary>
    public required string TaskSource { get; init; }

    /// <summary>Pool and spawned agents, oldest first.</summary>
    public IReadOnlyList<AgentInfo> Agents { get; init; } = [];

    /// <summary>Ready tasks waiting for a slot, in scheduling order.</summary>
    public IReadOnlyList<QueuedTask> Queue { get; init; } = [];

    /// <summary>The most recent scheduling decisions, newest last.</summary>
    public IReadOnlyList<EngineDecision> Decisions { get; init; } = [];

    /// <summary>Current problems, one line each (tracker unreachable, server restarting…).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Pool agents holding a slot (spawned agents do not use slots).</summary>
    public int RunningPoolAgents => Agents.Count(a => a.Origin == AgentOrigin.Pool && a.Activity != AgentActivity.Exited);

    /// <summary>Agents that exited with a failure and were not respawned.</summary>
    public int FailedAgents => Agents.Count(a => a.Activity == AgentActivity.Exited && a.ExitCode is not null and not 0);
}
