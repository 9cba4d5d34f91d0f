namespace Aetherflow.Engine.Config;

/// <summary>Whether the engine takes work from the tracker by itself.</summary>
public enum SpawnPolicy
{
    /// <summary>Only agents that someone spawns; the tracker is not polled.</summary>
    Manual,

    /// <summary>Ready tasks are taken from the tracker and run in the pool.</summary>
    Auto,
}
