namespace Aetherflow.Engine.Api;

/// <summary>What an agent is doing right now, derived from its runtime's events.</summary>
public enum AgentActivity
{
    /// <summary>Launched; no event seen yet.</summary>
    Starting,

    /// <summary>Working (a model turn or tool call is in progress).</summary>
    Busy,

    /// <summary>Alive but waiting for input.</summary>
    Idle,

    /// <summary>The model call failed and is being retried by the runtime.</summary>
    Retrying,

    /// <summary>Blocked on a permission request.</summary>
    WaitingForPermission,

    /// <summary>Busy with no event for longer than <c>hang_timeout</c>.</summary>
    Hung,

    /// <summary>Waiting for a respawn after a failure.</summary>
    BackingOff,

    /// <summary>Finished; see the exit code and outcome.</summary>
    Exited,
}
