using System.Collections.Concurrent;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Events;

/// <summary>
/// The engine's per-session event history: every event gets the session's next sequence number (engine-owned,
/// strictly increasing, never reused — it continues from the journal after a restart), is written to the session's
/// journal, then put in the session's bounded ring buffer, and only then announced to readers and subscribers.
/// </summary>
/// <remarks>
/// <para>
/// Readers use cursors (<see cref="Read"/>: "events after sequence N"), never timestamps, so nothing is lost or
/// repeated when events share a millisecond or arrive out of order. <see cref="Subscribe"/> gives replay-then-live
/// delivery built on the same cursor: the subscription waits on the session's publish signal taken together with each
/// read, so there is no window between replay and live and no overlap to drop.
/// </para>
/// <para>
/// No lock is held across disk I/O or callbacks: see <see cref="SessionEventLog"/> for how appends to one session are
/// journaled in order by whichever appender is the session's writer at the time. Sessions are loaded from their journal
/// on first use and dropped from memory after <see cref="SessionEventStoreOptions.IdleEviction"/> without activity.
/// </para>
/// </remarks>
public sealed class SessionEventStore : IDisposable
{
    private const int WarningsKept = 20;

    private readonly SessionEventStoreOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Lazy<SessionEventLog>> sessions = new(StringComparer.Ordinal);
    private readonly Lock warningsGate = new();
    private readonly Queue<string> recentWarnings = new();
    private readonly ITimer sweepTimer;
    private readonly Action<SessionEventLog, SessionEvent[]> onPublished;
    private long oversizedPayloads;
    private long unwrittenOfEvicted;
    private int disposed;

    /// <summary>Creates a store; nothing is read from disk until a session is used.</summary>
    public SessionEventStore(SessionEventStoreOptions options, TimeProvider timeProvider, ILogger<SessionEventStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        onPublished = RaiseAppended;
        sweepTimer = timeProvider.CreateTimer(_ => EvictIdleSessions(), null, options.IdleSweepInterval, options.IdleSweepInterval);
    }

    /// <summary>
    /// Raised after events were stored and became readable, on the appending thread, outside every lock, in sequence
    /// order per session. A handler that throws is logged and does not affect the append or other handlers; handlers
    /// should be quick (schedule work, do not do it).
    /// </summary>
    public event EventHandler<SessionEventsAppendedEventArgs>? Appended;

    /// <summary>The options in force.</summary>
    public SessionEventStoreOptions Options => options;

    /// <summary>The sessions currently held in memory.</summary>
    public IReadOnlyCollection<string> SessionsInMemory => [.. sessions.Keys];

    /// <summary>The store's state: degraded journals, recent warnings, counters.</summary>
    public EventStoreHealth Health
    {
        get
        {
            var warnings = new List<string>();
            long unwritten = Interlocked.Read(ref unwrittenOfEvicted);
            foreach (SessionEventLog log in LoadedLogs())
            {
                if (log.Journal is { } journal)
                {
                    unwritten += journal.UnwrittenEvents;
                    if (journal.Status is { } status)
                    {
                        warnings.Add(status);
                    }
                }
            }

            bool degraded = warnings.Count > 0;
            lock (warningsGate)
            {
                warnings.AddRange(recentWarnings);
            }

            return new EventStoreHealth(degraded, warnings, Interlocked.Read(ref oversizedPayloads), unwritten, sessions.Count);
        }
    }

    /// <summary>
    /// Stores one event: assigns the session's next sequence, journals it, adds it to the ring and notifies. The payload
    /// is copied once and shared from then on. It must be one JSON value; pretty-printed JSON is compacted to one line.
    /// A payload over <see cref="SessionEventStoreOptions.MaxPayloadBytes"/> is replaced by
    /// <c>{"oversized":{"bytes":N,"limit":L}}</c> (the event keeps its type and sequence) and counted in
    /// <see cref="Health"/>.
    /// </summary>
    /// <returns>The stored event. With concurrent appenders to the same session it may become readable a moment after
    /// this returns (another appender is writing it), never before it is journaled.</returns>
    /// <exception cref="ArgumentException">The session id is not valid, the type is empty or too long, or the payload is not JSON.</exception>
    public SessionEvent Append(string sessionId, string type, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt) =>
        Append(sessionId, type, payload, receivedAt, batch: null);

    /// <summary>
    /// Like <see cref="Append(string, string, ReadOnlySpan{byte}, DateTimeOffset)"/>; with a <paramref name="batch"/>,
    /// the event is journaled and becomes readable when the batch is flushed.
    /// </summary>
    public SessionEvent Append(string sessionId, string type, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt, SessionEventBatch? batch) =>
        Append(sessionId, type, payload, receivedAt, batch, parsed: false);

    /// <summary>Starts a batch of appends journaled and published together (see <see cref="SessionEventBatch"/>).</summary>
    public SessionEventBatch CreateBatch()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return new SessionEventBatch(this);
    }

    /// <summary>An append whose payload is known to be one JSON value (it was just parsed), so it is not checked again.</summary>
    internal SessionEvent AppendParsed(string sessionId, string type, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt, SessionEventBatch? batch) =>
        Append(sessionId, type, payload, receivedAt, batch, parsed: true);

    internal void Publish(SessionEventLog log) => log.Drain(onPublished);

    /// <summary>
    /// Runs <paramref name="action"/> once every event appended to <paramref name="sessionId"/> so far is readable: at
    /// once on this thread when they already are, otherwise on the thread that publishes them (see
    /// <see cref="SessionEventLog.DeferUntilPublished"/>).
    /// </summary>
    internal void WhenPublished(string sessionId, Action action)
    {
        if (!sessions.TryGetValue(sessionId, out Lazy<SessionEventLog>? entry) || !entry.IsValueCreated || !entry.Value.DeferUntilPublished(action))
        {
            action();
        }
    }

    private SessionEvent Append(string sessionId, string type, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt, SessionEventBatch? batch, bool parsed)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ValidateSessionId(sessionId);
        if (string.IsNullOrEmpty(type) || type.Length > 128)
        {
            throw new ArgumentException("an event type must have 1 to 128 characters", nameof(type));
        }

        byte[] stored = EventPayload.IsOversized(payload, options.MaxPayloadBytes) ? Oversized(sessionId, type, payload.Length)
            : parsed ? EventPayload.CopyParsed(payload)
            : EventPayload.Copy(payload, type);
        var spin = default(SpinWait);
        while (true)
        {
            SessionEventLog log = GetLog(sessionId);
            SessionEvent? item = log.Enqueue(type, receivedAt, stored, timeProvider.GetUtcNow(), out bool mustWrite);
            if (item is null)
            {
                // Evicted between lookup and enqueue: once the sweep has removed it, the next lookup loads a fresh log.
                spin.SpinOnce();
                continue;
            }

            if (mustWrite && batch is not null)
            {
                batch.Defer(log);
            }
            else if (mustWrite)
            {
                log.Drain(onPublished);
            }

            return item;
        }
    }

    /// <summary>
    /// Reads up to <paramref name="limit"/> events of <paramref name="sessionId"/> with a sequence above
    /// <paramref name="afterSequence"/> (0 = from the oldest held), in order. An unknown session reads as empty.
    /// </summary>
    public SessionEventReadResult Read(string sessionId, long afterSequence, int limit)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ValidateSessionId(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return GetLog(sessionId).Read(afterSequence, limit, timeProvider.GetUtcNow(), out _);
    }

    /// <summary>The newest sequence of <paramref name="sessionId"/> (0 when it has no events).</summary>
    public long GetLastSequence(string sessionId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ValidateSessionId(sessionId);
        return GetLog(sessionId).LastSequence;
    }

    /// <summary>
    /// Subscribes to <paramref name="sessionId"/> from <paramref name="afterSequence"/>: the subscription first replays
    /// what is held after the cursor, then waits for new events — without gaps or duplicates, because both are the
    /// same cursor read. Dispose it to unsubscribe. A subscribed session is never evicted from memory.
    /// </summary>
    public SessionEventSubscription Subscribe(string sessionId, long afterSequence)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ValidateSessionId(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        var spin = default(SpinWait);
        while (true)
        {
            SessionEventLog log = GetLog(sessionId);
            if (log.AddSubscriber())
            {
                return new SessionEventSubscription(log, afterSequence, timeProvider);
            }

            spin.SpinOnce();
        }
    }

    /// <summary>The sessions that have a journal on disk (whether or not they are in memory).</summary>
    public IReadOnlyList<string> ListJournaledSessions()
    {
        if (options.JournalDirectory is not { } directory || !Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory, "*" + SessionJournal.Extension)
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Where(Identifiers.IsSessionId)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Drops from memory every session idle for <see cref="SessionEventStoreOptions.IdleEviction"/> (no appends,
    /// reads or subscribers); their history stays in the journal and is loaded again when used. Runs every
    /// <see cref="SessionEventStoreOptions.IdleSweepInterval"/> by itself.
    /// </summary>
    /// <returns>How many sessions were dropped.</returns>
    public int EvictIdleSessions()
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        int count = 0;
        foreach (KeyValuePair<string, Lazy<SessionEventLog>> entry in sessions)
        {
            if (!entry.Value.IsValueCreated || !entry.Value.Value.TryEvict(now, options.IdleEviction))
            {
                continue;
            }

            sessions.TryRemove(entry);
            if (entry.Value.Value.Journal is { } journal)
            {
                Interlocked.Add(ref unwrittenOfEvicted, journal.UnwrittenEvents);
                journal.Dispose();
            }

            count++;
        }

        if (count > 0)
        {
            logger.LogDebug("Dropped {Count} idle session(s) from memory; their history stays in the journal", count);
        }

        return count;
    }

    /// <summary>Stops the idle sweep, ends every subscription (waiting reads throw <see cref="ObjectDisposedException"/>) and closes every journal.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        sweepTimer.Dispose();
        foreach (SessionEventLog log in LoadedLogs())
        {
            log.Close();
            log.Journal?.Dispose();
        }
    }

    internal (int Count, long Bytes, long First, long EvictedCount, int PayloadsHeld) GetStats(string sessionId) => GetLog(sessionId).Stats();

    private static void ValidateSessionId(string sessionId)
    {
        if (!Identifiers.IsSessionId(sessionId))
        {
            throw new ArgumentException($"'{TerminalText.Truncate(TerminalText.SanitizeLine(sessionId), 80)}' is not a valid session id", nameof(sessionId));
        }
    }

    private byte[] Oversized(string sessionId, string type, int bytes)
    {
        Interlocked.Increment(ref oversizedPayloads);
        AddWarning($"session {sessionId}: a {type} event of {bytes} bytes exceeded the {options.MaxPayloadBytes}-byte cap and was stored as a placeholder");
        logger.LogWarning("Session {SessionId}: {Type} event of {Bytes} bytes exceeds the {Limit}-byte cap; storing a placeholder", sessionId, type, bytes, options.MaxPayloadBytes);
        return EventPayload.Placeholder(bytes, options.MaxPayloadBytes);
    }

    private SessionEventLog GetLog(string sessionId)
    {
        Lazy<SessionEventLog> entry = sessions.GetOrAdd(sessionId, static (id, store) => new Lazy<SessionEventLog>(() => store.Load(id)), this);
        try
        {
            return entry.Value;
        }
        catch
        {
            // Lazy would remember the failure forever; forget it so the next use tries again.
            sessions.TryRemove(new KeyValuePair<string, Lazy<SessionEventLog>>(sessionId, entry));
            throw;
        }
    }

    private SessionEventLog Load(string sessionId)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (options.JournalDirectory is not { } directory)
        {
            return new SessionEventLog(sessionId, options, journal: null, now, logger);
        }

        var journal = new SessionJournal(directory, sessionId, options.MaxJournalFileBytes, options.JournalRetryInterval, timeProvider, logger);
        var log = new SessionEventLog(sessionId, options, journal, now, logger);
        JournalLoadResult loaded = journal.Load(log.Restore);
        log.RestoreBounds(Math.Max(0, loaded.FirstSequence - 1), loaded.LastSequence);
        foreach (string warning in loaded.Warnings)
        {
            AddWarning(warning);
        }

        if (loaded.EventCount > 0)
        {
            logger.LogDebug("Restored {Count} event(s) of session {SessionId} from its journal; continuing after #{Sequence}", loaded.EventCount, sessionId, loaded.LastSequence);
        }

        return log;
    }

    private IEnumerable<SessionEventLog> LoadedLogs() =>
        sessions.Values.Where(lazy => lazy.IsValueCreated).Select(lazy => lazy.Value);

    private void AddWarning(string warning)
    {
        lock (warningsGate)
        {
            if (recentWarnings.Count == WarningsKept)
            {
                recentWarnings.Dequeue();
            }

            recentWarnings.Enqueue(warning);
        }
    }

    private void RaiseAppended(SessionEventLog log, SessionEvent[] batch)
    {
        EventHandler<SessionEventsAppendedEventArgs>? handlers = Appended;
        if (handlers is null)
        {
            return;
        }

        var args = new SessionEventsAppendedEventArgs(log.SessionId, batch);
        foreach (EventHandler<SessionEventsAppendedEventArgs> handler in handlers.GetInvocationList().Cast<EventHandler<SessionEventsAppendedEventArgs>>())
        {
            try
            {
                handler(this, args);
            }
            catch (Exception ex)
            {
                // A broken listener must not break the pipeline or the other listeners.
                logger.LogError(ex, "An Appended handler failed for session {SessionId} events #{First}..#{Last}", log.SessionId, batch[0].Sequence, batch[^1].Sequence);
            }
        }
    }
}
