using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Sends one connection's notifications. A send that the client does not read within
/// <see cref="RpcLimits.StuckSendLimit"/> drops the subscriber: it gets a <c>subscription.dropped</c> notice if it still
/// reads within <see cref="RpcLimits.DropNoticeWindow"/>, and then the connection is closed. Only that client's pumps ever
/// wait; the engine raises its changes without waiting for anyone.
/// </summary>
internal sealed class SubscriberSender
{
    private readonly JsonRpc rpc;
    private readonly RpcPeer peer;
    private readonly RpcLimits limits;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private int dropped;

    public SubscriberSender(JsonRpc rpc, RpcPeer peer, RpcLimits limits, TimeProvider time, ILogger logger)
    {
        this.rpc = rpc;
        this.peer = peer;
        this.limits = limits;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// Held by whichever subscription sends, so notifications of one connection go out in the order things happened:
    /// the status pump sends an agent's pending events before a snapshot that shows the agent exited.
    /// </summary>
    public SemaphoreSlim Order { get; } = new(1, 1);

    /// <summary>The topics this connection is subscribed to, for the drop notice.</summary>
    public Func<IReadOnlyList<string>> Topics { get; init; } = () => [];

    /// <summary>Sends a notification; false when the client is gone or was dropped (the caller's pump then ends).</summary>
    public async Task<bool> SendAsync(string method, object payload, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref dropped) != 0)
        {
            return false;
        }

        Task send = rpc.NotifyWithRecordAsync(method, payload);
        try
        {
            await send.WaitAsync(limits.StuckSendLimit, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            // The send itself goes on and fails once the connection is closed; nobody waits for it any more.
            _ = send.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await DropAsync(method).ConfigureAwait(false);
            return false;
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or IOException)
        {
            return false;
        }
    }

    private async Task DropAsync(string method)
    {
        if (Interlocked.Exchange(ref dropped, 1) != 0)
        {
            return;
        }

        logger.LogWarning(
            "RPC client {Peer} stopped reading: a {Method} notification waited {Limit} to be read; dropping the subscriber",
            peer, method, limits.StuckSendLimit);
        var notice = new SubscriptionDroppedParams(
            $"this connection did not read notifications for {limits.StuckSendLimit.TotalSeconds:0}s, so the engine closes it; "
                + "reconnect, read status.get and events.read from your cursors, and subscribe again",
            Topics());
        try
        {
            // Queued behind the stuck notification: it arrives only if the client reads again in time.
            await rpc.NotifyWithRecordAsync(RpcNotifications.SubscriptionDropped, notice).WaitAsync(limits.DropNoticeWindow, time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or ConnectionLostException or ObjectDisposedException or IOException)
        {
            logger.LogDebug("RPC client {Peer} did not take the drop notice: {Reason}", peer, ex.Message);
        }

        rpc.Dispose();
    }

}
