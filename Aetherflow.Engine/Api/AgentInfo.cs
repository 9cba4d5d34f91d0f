namespace Aetherflow.Engine.Api;

/// <summary>One agent as the dashboard and <c>status.get</c> show it: pool agents and spawned agents alike.</summary>
public sealed record AgentInfo
{
    /// <summary>The agent's memorable name, e.g. <c>ghost_wolf</c>; unique while it is in use.</summary>
    public required string Name { get; init; }

    public AgentOrigin Origin { get; init; }

    /// <summary><c>worker</c>, <c>planner</c> or <c>spawn</c>.</summary>
    public required string Role { get; init; }

    /// <summary>The tracker task (pool agents) or the spawn id (spawned agents).</summary>
    public string? TaskId { get; init; }

    /// <summary>The task title, or the spawn prompt's first line.</summary>
    public string Title { get; init; } = string.Empty;

    public AgentActivity Activity { get; init; }

    /// <summary>The process exit code or outcome code once exited.</summary>
    public int? ExitCode { get; init; }

    public int? Pid { get; init; }

    /// <summary>The opencode session the agent runs in, when it has one.</summary>
    public string? SessionId { get; init; }

    public DateTimeOffset SpawnedAt { get; init; }

    /// <summary>When the agent last produced an event.</summary>
    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>How many times the agent was respawned for its task.</summary>
    public int Retries { get; init; }

    /// <summary>The most recent tool call, e.g. <c>bash: dotnet test</c>.</summary>
    public string? LastTool { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>Model cost in US dollars, where the provider reports it.</summary>
    public double Cost { get; init; }

    public string? Worktree { get; init; }

    public string? Branch { get; init; }

    /// <summary>The last failure, in one line.</summary>
    public string? LastError { get; init; }
}
