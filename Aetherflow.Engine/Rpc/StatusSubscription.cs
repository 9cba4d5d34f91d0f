using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Pushes <c>status.changed</c> to one client. It keeps only the newest snapshot, so a client that reads slowly gets
/// fewer, fresher updates and can never make the engine wait or buffer without bound; a client that stops reading
/// altogether is dropped by its <see cref="SubscriberSender"/>.
/// </summary>
internal sealed class StatusSubscription : IAsyncDisposable
{
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(50);
    private readonly IEngine engine;
    private readonly SubscriberSender sender;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim changed = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task pump;
    private long sentRevision = -1;

    public StatusSubscription(IEngine engine, SubscriberSender sender, TimeProvider time)
    {
        this.engine = engine;
        this.sender = sender;
        this.time = time;
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

            if (!await sender.SendAsync(RpcNotifications.StatusChanged, new { snapshot }, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            sentRevision = snapshot.Revision;
            await Task.Delay(MinimumGap, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
