namespace Aetherflow.Engine.Rpc;

/// <summary>The socket's limits, documented in docs/rpc.md.</summary>
public sealed record RpcLimits
{
    /// <summary>The largest message a client may send; a larger one gets an error and the connection is closed.</summary>
    public int MaxFrameBytes { get; init; } = EngineRpcServer.DefaultMaxFrameBytes;

    /// <summary>
    /// How long one notification may wait for a subscriber to read before the subscriber is dropped. Notifications are
    /// never queued without bound (the newest state replaces older, events are re-read from a cursor), so a slow reader
    /// only gets bigger batches; this catches a reader that stopped reading altogether.
    /// </summary>
    public TimeSpan StuckSendLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dropped subscriber gets to read the <c>subscription.dropped</c> notice before the connection closes.</summary>
    public TimeSpan DropNoticeWindow { get; init; } = TimeSpan.FromSeconds(5);
}
