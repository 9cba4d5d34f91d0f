using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Events;

/// <summary>
/// One session's in-memory state inside <see cref="SessionEventStore"/>: the sequence counter, the ring of published
/// events, the events waiting to be journaled and the wake-up signal for subscribers.
/// </summary>
/// <remarks>
/// Appending never holds <see cref="gate"/> across I/O. An appender takes the next sequence and queues its event under
/// the lock; if no one is writing, it becomes the session's writer and, outside the lock, journals every queued event
/// in order, then publishes them (ring + signal) under the lock again, and repeats until the queue is empty. So events
/// reach the journal and readers in sequence order, each is written before anyone can read it, and concurrent
/// appenders to the same session are batched into one write instead of waiting for each other's disk I/O.
/// </remarks>
internal sealed class SessionEventLog
{
    private readonly Lock gate = new();
    private readonly EventRing ring;
    private readonly ILogger logger;
    private readonly List<SessionEvent> pending = [];
    private readonly Queue<(long Through, Action Run)> afterPublished = new();
    private long lastAssigned;
    private long lastPublished;
    private bool writing;
    private bool evicted;
    private bool closed;
    private int subscribers;
    private DateTimeOffset lastActivity;
    private TaskCompletionSource pulse = NewPulse();

    public SessionEventLog(string sessionId, SessionEventStoreOptions options, SessionJournal? journal, DateTimeOffset now, ILogger logger)
    {
        SessionId = sessionId;
        ring = new EventRing(options.MaxEventsPerSession, options.MaxBytesPerSession, options.PayloadsInMemoryPerSession);
        Journal = journal;
        lastActivity = now;
        this.logger = logger;
    }

    public string SessionId { get; }

    public SessionJournal? Journal { get; }

    public long LastSequence
    {
        get
        {
            lock (gate)
            {
                return lastPublished;
            }
        }
    }

    /// <summary>Adds an event read back from the journal, with where the journal holds its payload (before the log is shared).</summary>
    public void Restore(SessionEvent item, JournalLocation? location)
    {
        ring.Add(item, location);
        lastAssigned = lastPublished = item.Sequence;
    }

    /// <summary>Marks sequences up to <paramref name="missingThrough"/> as known but not held; the next sequence follows <paramref name="last"/>.</summary>
    public void RestoreBounds(long missingThrough, long last)
    {
        ring.MarkMissingThrough(missingThrough);
        lastAssigned = lastPublished = Math.Max(lastAssigned, last);
    }

    /// <summary>
    /// Assigns the next sequence and queues the event. Returns null when the log was evicted (the caller retries with a
    /// fresh log). <paramref name="mustWrite"/> tells the caller it became the writer and must call <see cref="Drain"/>.
    /// </summary>
    public SessionEvent? Enqueue(string type, DateTimeOffset receivedAt, byte[] payload, DateTimeOffset now, out bool mustWrite)
    {
        lock (gate)
        {
            mustWrite = false;
            if (evicted)
            {
                return null;
            }

            var item = new SessionEvent(SessionId, ++lastAssigned, type, receivedAt, payload);
            pending.Add(item);
            lastActivity = now;
            if (!writing)
            {
                writing = mustWrite = true;
            }

            return item;
        }
    }

    /// <summary>The writer loop: journal, then publish, every queued batch; <paramref name="published"/> runs outside the lock.</summary>
    public void Drain(Action<SessionEventLog, SessionEvent[]> published)
    {
        try
        {
            while (true)
            {
                SessionEvent[] batch;
                List<Action>? ready;
                lock (gate)
                {
                    // Work deferred while the writer ran earlier work runs before it lets go, so it keeps its order.
                    ready = pending.Count == 0 ? TakeReady() : null;
                    if (pending.Count == 0 && ready is null)
                    {
                        writing = false;
                        return;
                    }

                    batch = [.. pending];
                    pending.Clear();
                }

                if (ready is not null)
                {
                    Run(ready);
                    continue;
                }

                // Journal failures are handled inside (degraded, never thrown): the events are published regardless, and
                // without a place in the journal their payloads stay in memory.
                JournalLocation[]? locations = Journal?.AppendCore(batch);

                TaskCompletionSource wake;
                lock (gate)
                {
                    for (int i = 0; i < batch.Length; i++)
                    {
                        ring.Add(batch[i], locations?[i]);
                    }

                    lastPublished = batch[^1].Sequence;
                    wake = pulse;
                    pulse = NewPulse();
                    ready = TakeReady();
                }

                wake.TrySetResult();
                published(this, batch);
                if (ready is not null)
                {
                    Run(ready);
                }
            }
        }
        catch
        {
            // Only a bug gets here; let the next appender take over instead of leaving the session stuck.
            lock (gate)
            {
                writing = false;
            }

            throw;
        }
    }

    /// <summary>
    /// Defers <paramref name="action"/> until every event enqueued so far is readable, and returns true; returns false
    /// when they already are (the caller runs it). Deferred actions run on the writer, in the order they were deferred,
    /// after the events are published.
    /// </summary>
    public bool DeferUntilPublished(Action action)
    {
        lock (gate)
        {
            if (!writing)
            {
                return false;
            }

            afterPublished.Enqueue((lastAssigned, action));
            return true;
        }
    }

    /// <summary>
    /// Reads up to <paramref name="limit"/> published events after <paramref name="afterSequence"/>, and returns the
    /// signal that completes on the next publish — taken under the same lock, so no publish can slip in between.
    /// </summary>
    public SessionEventReadResult Read(long afterSequence, int limit, DateTimeOffset now, out Task nextPublish)
    {
        EventSlot[] slots;
        long next;
        long last;
        bool fellBehind;
        List<JournalSegment> acquired = [];
        lock (gate)
        {
            lastActivity = now;
            nextPublish = pulse.Task;
            if (afterSequence > lastPublished)
            {
                return new SessionEventReadResult([], lastPublished, lastPublished, FellBehind: false, CursorReset: true);
            }

            int start = ring.IndexAfter(afterSequence);
            int count = Math.Min(limit, ring.Count - start);
            slots = count > 0 ? ring.Slice(start, count) : [];
            fellBehind = afterSequence < ring.EvictedThrough;
            next = count > 0 ? slots[^1].Sequence : Math.Max(afterSequence, fellBehind ? ring.EvictedThrough : afterSequence);
            last = lastPublished;

            // Payloads not in memory are read from the journal outside the lock; the files stay open until then.
            foreach (EventSlot slot in slots)
            {
                if (slot.Payload is null && (acquired.Count == 0 || !ReferenceEquals(acquired[^1], slot.Segment)) && slot.Segment!.TryAcquire())
                {
                    acquired.Add(slot.Segment);
                }
            }
        }

        try
        {
            SessionEvent[] events = slots.Length > 0 ? EventMaterializer.Materialize(SessionId, slots, logger) : [];
            return new SessionEventReadResult(events, next, last, fellBehind, CursorReset: false);
        }
        finally
        {
            foreach (JournalSegment segment in acquired)
            {
                segment.Release();
            }
        }
    }

    private List<Action>? TakeReady()
    {
        List<Action>? ready = null;
        while (afterPublished.TryPeek(out (long Through, Action Run) next) && next.Through <= lastPublished)
        {
            (ready ??= []).Add(afterPublished.Dequeue().Run);
        }

        return ready;
    }

    private void Run(List<Action> actions)
    {
        foreach (Action action in actions)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                // One failing must not keep the session's later work (or its writer) stuck.
                logger.LogError(ex, "Work deferred until events of session {SessionId} were published failed", SessionId);
            }
        }
    }

    /// <summary>Registers a subscriber (which keeps the log in memory); false when the log was already evicted.</summary>
    public bool AddSubscriber()
    {
        lock (gate)
        {
            if (evicted)
            {
                return false;
            }

            subscribers++;
            return true;
        }
    }

    public void RemoveSubscriber(DateTimeOffset now)
    {
        lock (gate)
        {
            subscribers--;
            lastActivity = now;
        }
    }

    /// <summary>Marks the log evicted when it has been idle long enough and nothing is using it.</summary>
    public bool TryEvict(DateTimeOffset now, TimeSpan idle)
    {
        lock (gate)
        {
            if (evicted || writing || pending.Count > 0 || subscribers > 0 || now - lastActivity < idle)
            {
                return false;
            }

            evicted = true;
            return true;
        }
    }

    /// <summary>True once the store was disposed: subscribers stop waiting.</summary>
    public bool IsClosed
    {
        get
        {
            lock (gate)
            {
                return closed;
            }
        }
    }

    /// <summary>Wakes every waiting subscriber for good (the store is being disposed).</summary>
    public void Close()
    {
        TaskCompletionSource wake;
        lock (gate)
        {
            closed = true;
            wake = pulse;
        }

        wake.TrySetResult();
    }

    /// <summary>Counts and bytes held, for diagnostics and tests.</summary>
    public (int Count, long Bytes, long First, long EvictedCount, int PayloadsHeld) Stats()
    {
        lock (gate)
        {
            return (ring.Count, ring.Bytes, ring.FirstSequence, ring.EvictedCount, ring.PayloadsHeld);
        }
    }

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
