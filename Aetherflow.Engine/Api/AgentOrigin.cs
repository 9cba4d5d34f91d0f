namespace Aetherflow.Engine.Api;

/// <summary>How an agent came to run.</summary>
public enum AgentOrigin
{
    /// <summary>Scheduled by the pool from a tracker task.</summary>
    Pool,

    /// <summary>Started from a prompt with <c>aetherflow spawn</c> or <c>:spawn</c>.</summary>
    Spawn,
}
