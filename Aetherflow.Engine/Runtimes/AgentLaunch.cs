namespace Aetherflow.Engine.Runtimes;

/// <summary>Everything a runtime needs to start one agent.</summary>
public sealed record AgentLaunch
{
    /// <summary>The agent's name, e.g. <c>ghost_wolf</c>.</summary>
    public required string AgentName { get; init; }

    /// <summary>The tracker task (pool agents) or spawn id (spawned agents).</summary>
    public required string WorkId { get; init; }

    /// <summary><c>worker</c>, <c>planner</c> or <c>spawn</c>.</summary>
    public required string Role { get; init; }

    /// <summary>A short title for the session, naming agent and task.</summary>
    public required string Title { get; init; }

    /// <summary>The fully rendered prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>The folder the agent works in (its git worktree).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>An earlier session to continue (a respawn), when the runtime has sessions.</summary>
    public string? ResumeSessionId { get; init; }

    /// <summary>Extra environment variables for the agent.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
