using Aetherflow.Engine.Api;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Pushes <c>status.changed</c> to one client. It keeps only the newest snapshot, so a client that reads slowly gets
/// fewer, fresher updates and can never make the engine wait or buffer without bound; a client that stops reading
/// altogether is disconnected once a send has been stuck for <see cref="StuckSendLimit"/>.
/// </summary>
internal sealed class StatusSubscription : IAsyncDisposable
{
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StuckSendLimit = TimeSpan.FromSeconds(10);
    private readonly IEngine engine;
    private readonly JsonRpc rpc;
    private readonly RpcPeer peer;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim changed = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task pump;
    private long sentRevision = -1;

    public StatusSubscription(IEngine engine, JsonRpc rpc, RpcPeer peer, TimeProvider time, ILogger logger)
    {
        this.engine = engine;
        this.rpc = rpc;
        this.peer = peer;
        this.time = time;
        this.logger = logger;
        engine.SnapshotChanged += OnChanged;
        pump = PumpAsync(stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        engine.SnapshotChanged -= OnChanged;
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        stopping.Dispose();
        changed.Dispose();
    }

    private void OnChanged(object? sender, EngineSnapshot snapshot)
    {
        try
        {
            changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the pump sends the newest snapshot anyway.
        }
        catch (ObjectDisposedException)
        {
            // Unsubscribed concurrently.
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            EngineSnapshot snapshot = engine.Snapshot;
            if (snapshot.Revision <= sentRevision)
            {
                continue;
            }

            try
            {
                await rpc.NotifyWithParameterObjectAsync(RpcNotifications.StatusChanged, new { snapshot }).WaitAsync(StuckSendLimit, time, cancellationToken).ConfigureAwait(false);
                sentRevision = snapshot.Revision;
            }
            catch (TimeoutException)
            {
                logger.LogWarning("RPC client {Peer} stopped reading status updates for {Limit}; disconnecting it", peer, StuckSendLimit);
                rpc.Dispose();
                return;
            }
            catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or IOException)
            {
                return;
            }

            await Task.Delay(MinimumGap, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
