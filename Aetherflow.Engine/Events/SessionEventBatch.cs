namespace Aetherflow.Engine.Events;

/// <summary>
/// Appends that are journaled and published together: events appended with a batch get their sequence at once and
/// are queued in order, but each session's queue is written to its journal in one write and announced to readers only
/// at <see cref="Flush"/>. A connection that streams events uses one per read from its socket, so a burst costs one
/// journal write and one notification per session instead of one per event.
/// </summary>
/// <remarks>
/// Until it is flushed, the batch is the writer of every session it appended to: appends to those sessions from other
/// threads queue behind it and are published with it. Flush promptly (before waiting for more input), and always —
/// <see cref="Dispose"/> flushes. Not thread-safe: one appender uses a batch.
/// </remarks>
public sealed class SessionEventBatch : IDisposable
{
    private readonly SessionEventStore store;
    private readonly List<SessionEventLog> writing = [];

    internal SessionEventBatch(SessionEventStore store) => this.store = store;

    /// <summary>How many sessions have events waiting for <see cref="Flush"/>.</summary>
    public int PendingSessions => writing.Count;

    /// <summary>Journals and publishes every event appended with this batch since the last flush.</summary>
    public void Flush()
    {
        if (writing.Count == 0)
        {
            return;
        }

        SessionEventLog[] logs = [.. writing];
        writing.Clear();
        List<Exception>? failures = null;
        foreach (SessionEventLog log in logs)
        {
            try
            {
                store.Publish(log);
            }
            catch (Exception ex)
            {
                // Every other session must still be published; only a bug gets here.
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("publishing a batch of events failed", failures);
        }
    }

    /// <summary>Flushes.</summary>
    public void Dispose() => Flush();

    internal void Defer(SessionEventLog log) => writing.Add(log);
}
