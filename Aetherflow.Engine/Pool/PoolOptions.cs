namespace Aetherflow.Engine.Pool;

/// <summary>How the pool schedules, retries and supervises.</summary>
public sealed record PoolOptions
{
    /// <summary>Slots for tracker tasks.</summary>
    public int PoolSize { get; init; } = 3;

    /// <summary>Respawns of a failed agent before its task is put back.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first respawn delay; it doubles with each further failure.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest respawn delay.</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a stopped agent gets to exit before it is killed.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often running agents are checked for having vanished.</summary>
    public TimeSpan LivenessInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a task that was given up on (or handed back) is left alone before it is scheduled again.</summary>
    public TimeSpan GiveUpCooldown { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many finished agents stay listed (newest first) for inspection.</summary>
    public int FinishedAgentsKept { get; init; } = 20;

    /// <summary>What to do when an agent is hung: <c>warn</c>, <c>steer</c> or <c>stop</c>.</summary>
    public string HangAction { get; init; } = "warn";

    /// <summary>Whether pool agents land by themselves (reported in prompts; the reconciler does not run).</summary>
    public bool Solo { get; init; }
}
