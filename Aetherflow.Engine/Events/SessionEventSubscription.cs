using System.Runtime.CompilerServices;

namespace Aetherflow.Engine.Events;

/// <summary>
/// A replay-then-live reader of one session (<see cref="SessionEventStore.Subscribe"/>). Each
/// <see cref="ReadAsync"/> returns the events after the subscription's cursor, waiting until there is at least one;
/// the first calls replay history, later ones deliver new events as they are published. Replay and live are the same
/// cursor read, and the wake-up signal is taken under the same lock as each read, so an event published during the
/// replay is neither missed nor delivered twice.
/// </summary>
/// <remarks>
/// A slow subscriber never holds anyone up: events wait in the session's ring, and if the subscriber falls so far
/// behind that the ring evicted events it had not read, the next result says so (<see cref="SessionEventReadResult.FellBehind"/>).
/// One subscription serves one reader at a time. Dispose it to unsubscribe.
/// </remarks>
public sealed class SessionEventSubscription : IDisposable
{
    private readonly SessionEventLog log;
    private readonly TimeProvider timeProvider;
    private long cursor;
    private int disposed;

    internal SessionEventSubscription(SessionEventLog log, long afterSequence, TimeProvider timeProvider)
    {
        this.log = log;
        this.timeProvider = timeProvider;
        cursor = afterSequence;
    }

    /// <summary>The session subscribed to.</summary>
    public string SessionId => log.SessionId;

    /// <summary>The last sequence delivered (or the starting cursor): the cursor to resume from elsewhere.</summary>
    public long Cursor => Interlocked.Read(ref cursor);

    /// <summary>
    /// Returns the next events after <see cref="Cursor"/> (at most <paramref name="limit"/>), waiting until at least one
    /// is there. Also returns without events when the cursor had to be reset (see <see cref="SessionEventReadResult.CursorReset"/>).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The subscription or the store was disposed (also while waiting).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async ValueTask<SessionEventReadResult> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            if (log.IsClosed)
            {
                throw new ObjectDisposedException(nameof(SessionEventStore), "The event store was disposed; the subscription has ended.");
            }

            SessionEventReadResult result = log.Read(Cursor, limit, timeProvider.GetUtcNow(), out Task nextPublish);
            if (result.Events.Count > 0 || result.CursorReset)
            {
                Interlocked.Exchange(ref cursor, result.NextCursor);
                return result;
            }

            await nextPublish.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Yields every event from the cursor on, replay first and then live, until cancelled.</summary>
    /// <remarks>Use <see cref="ReadAsync"/> instead to learn about evicted events (<see cref="SessionEventReadResult.FellBehind"/>).</remarks>
    public async IAsyncEnumerable<SessionEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            SessionEventReadResult page = await ReadAsync(500, cancellationToken).ConfigureAwait(false);
            foreach (SessionEvent item in page.Events)
            {
                yield return item;
            }
        }
    }

    /// <summary>Unsubscribes; the session may then be dropped from memory when idle.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            log.RemoveSubscriber(timeProvider.GetUtcNow());
        }
    }
}
