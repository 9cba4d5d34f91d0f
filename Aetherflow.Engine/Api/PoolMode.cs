namespace Aetherflow.Engine.Api;

/// <summary>The pool's flow control, with the original tool's exact semantics.</summary>
public enum PoolMode
{
    /// <summary>New tasks are scheduled and crashed agents are respawned.</summary>
    Active,

    /// <summary>No new tasks; crashed agents are still respawned so claimed tasks are never orphaned.</summary>
    Draining,

    /// <summary>No new tasks and no respawns; running agents keep running.</summary>
    Paused,
}
