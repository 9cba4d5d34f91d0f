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
    private readonly Func<EventsSubscription?> events;
    private readonly SemaphoreSlim changed = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task pump;
    private long sentRevision = -1;

    /// <param name="engine">The engine whose changes are pushed.</param>
    /// <param name="sender">The connection's sender.</param>
    /// <param name="time">The clock that spaces the pushes.</param>
    /// <param name="events">The connection's events subscription, if any, whose pending events go out before each snapshot.</param>
    public StatusSubscription(IEngine engine, SubscriberSender sender, TimeProvider time, Func<EventsSubscription?> events)
    {
        this.engine = engine;
        this.sender = sender;
        this.time = time;
        this.events = events;
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

            await sender.Order.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Events recorded before this snapshot go first: a subscriber sees an agent's last words before its exit.
                bool sent = (events() is not { } pending || await pending.SendPendingAsync(cancellationToken).ConfigureAwait(false))
                    && await sender.SendAsync(RpcNotifications.StatusChanged, new StatusChangedParams(snapshot), cancellationToken).ConfigureAwait(false);
                if (!sent)
                {
                    return;
                }
            }
            finally
            {
                sender.Order.Release();
            }

            sentRevision = snapshot.Revision;
            await Task.Delay(MinimumGap, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
