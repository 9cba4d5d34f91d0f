namespace Aetherflow.Engine.Rpc;

/// <summary>Names of the notifications the engine pushes to subscribers.</summary>
public static class RpcNotifications
{
    /// <summary><c>{"snapshot": EngineSnapshot}</c> — the latest state, coalesced (at most about 20 a second).</summary>
    public const string StatusChanged = "status.changed";
}
