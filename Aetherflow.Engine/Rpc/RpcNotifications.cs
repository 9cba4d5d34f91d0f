namespace Aetherflow.Engine.Rpc;

/// <summary>Names of the notifications the engine pushes to subscribers.</summary>
public static class RpcNotifications
{
    /// <summary><c>{"snapshot": EngineSnapshot}</c> — the latest state, coalesced (at most about 20 a second).</summary>
    public const string StatusChanged = "status.changed";

    /// <summary>
    /// <c>{"agent", "session_id", "last_sequence", "events": [EventLine…], "fell_behind"}</c> — an agent's new events
    /// (without <c>events</c> when the subscriber asked for sequence numbers only).
    /// </summary>
    public const string AgentEvents = "agent.events";

    /// <summary>
    /// <c>{"reason", "topics"}</c> — the engine drops this subscriber because it stopped reading; the connection closes
    /// right after. Sent only when the client still reads in time.
    /// </summary>
    public const string SubscriptionDropped = "subscription.dropped";
}
