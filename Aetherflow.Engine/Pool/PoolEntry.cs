using Aetherflow.Engine.Api;
using Aetherflow.Engine.Runtimes;

namespace Aetherflow.Engine.Pool;

/// <summary>Where one piece of work stands in the pool. Only the pool's loop reads or writes an entry.</summary>
internal enum EntryPhase
{
    /// <summary>Prep, claim or launch is in progress.</summary>
    Launching,

    /// <summary>The agent runs.</summary>
    Running,

    /// <summary>The agent failed and waits for its respawn.</summary>
    BackingOff,

    /// <summary>A respawn came due while the pool was paused; it happens on resume.</summary>
    Held,

    /// <summary>Finished; listed for inspection only.</summary>
    Finished,
}

/// <summary>The pool's record of one task or spawn and the agent working on it, across respawns.</summary>
internal sealed class PoolEntry
{
    public PoolEntry(string workId, AgentOrigin origin, string agentName, string role, string title, DateTimeOffset now)
    {
        WorkId = workId;
        Origin = origin;
        AgentName = agentName;
        Role = role;
        Title = title;
        SpawnedAt = now;
    }

    public string WorkId { get; }

    public AgentOrigin Origin { get; }

    public string AgentName { get; }

    public string Role { get; set; }

    public string Title { get; set; }

    public EntryPhase Phase { get; set; } = EntryPhase.Launching;

    /// <summary>Changes on every launch so a late event from an earlier run is recognised and ignored.</summary>
    public int Generation { get; set; }

    public IAgentHandle? Handle { get; set; }

    /// <summary>True once the liveness sweep found this run's process gone and is waiting for its completion to confirm it.</summary>
    public bool VanishSuspected { get; set; }

    public AgentRuntimeStatus Status { get; set; } = new();

    public int Retries { get; set; }

    public string? SessionId { get; set; }

    public DateTimeOffset SpawnedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int? ExitCode { get; set; }

    public string? LastError { get; set; }

    public string? Worktree { get; set; }

    public string? Branch { get; set; }

    /// <summary>The person's prompt of a spawned agent, kept for respawns.</summary>
    public string? SpawnPrompt { get; set; }

    /// <summary>For a spawned agent: whether it lands its work itself (solo) or leaves it for review.</summary>
    public bool SpawnSolo { get; set; }

    /// <summary>Who asked to stop this agent; a stopped agent is never respawned.</summary>
    public string? StopRequestedBy { get; set; }

    /// <summary>True while the entry holds a pool slot.</summary>
    public bool HoldsSlot => Origin == AgentOrigin.Pool && Phase != EntryPhase.Finished;

    public AgentInfo ToInfo() => new()
    {
        Name = AgentName,
        Origin = Origin,
        Role = Role,
        TaskId = WorkId,
        Title = Title,
        Activity = Phase switch
        {
            EntryPhase.Launching => AgentActivity.Starting,
            EntryPhase.Running => Status.Activity,
            EntryPhase.BackingOff or EntryPhase.Held => AgentActivity.BackingOff,
            _ => AgentActivity.Exited,
        },
        ExitCode = Phase == EntryPhase.Finished || Status.Activity == AgentActivity.Exited ? ExitCode : null,
        Pid = Phase == EntryPhase.Running ? Status.Pid : null,
        SessionId = Status.SessionId ?? SessionId,
        SpawnedAt = SpawnedAt,
        LastEventAt = Status.LastEventAt,
        Retries = Retries,
        LastTool = Status.LastTool,
        InputTokens = Status.InputTokens,
        OutputTokens = Status.OutputTokens,
        Cost = Status.Cost,
        Worktree = Worktree,
        Branch = Branch,
        LastError = LastError ?? Status.LastError,
    };
}
