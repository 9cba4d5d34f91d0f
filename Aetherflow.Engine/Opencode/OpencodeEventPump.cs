using System.Collections.Concurrent;
using System.Text.Json;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode.Events;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// One subscription to the server's <c>GET /global/event</c> stream carries every session's events. Each event of a
/// tracked session is de-duplicated, appended to the session's store (which numbers, buffers and journals it) and fed
/// to the session's <see cref="AgentStateTracker"/>. The connection is kept up with backoff and a stall watchdog; after
/// any gap the tracked sessions are backfilled from <c>GET /session/:id/message</c>, so nothing is missed and nothing is
/// stored twice. Events that arrive another way — pushed by the aetherflow-events plugin over the engine socket — go
/// through <see cref="Ingest(OpencodeEvent)"/> into the same de-duplication, store and tracker; an event seen from both
/// sources (same opencode event id) is kept once.
/// </summary>
public sealed class OpencodeEventPump : IAsyncDisposable
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(35);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly OpencodeClient client;
    private readonly SessionEventStore store;
    private readonly AgentStateTrackerOptions trackerOptions;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, TrackedSession> sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    private long lastEventTicks;
    private volatile bool connected;

    public OpencodeEventPump(OpencodeClient client, SessionEventStore store, AgentStateTrackerOptions trackerOptions, TimeProvider time, ILoggerFactory loggers)
    {
        this.client = client;
        this.store = store;
        this.trackerOptions = trackerOptions;
        this.time = time;
        this.loggers = loggers;
        logger = loggers.CreateLogger<OpencodeEventPump>();
    }

    /// <summary>Raised when the stream connects or drops (true = connected), on a background thread.</summary>
    public event EventHandler<bool>? ConnectionChanged;

    /// <summary>True while the event stream is connected.</summary>
    public bool IsConnected => connected;

    /// <summary>How many times the stream was (re)connected.</summary>
    public int Connections { get; private set; }

    /// <summary>Starts the subscription loop.</summary>
    public void Start() => loop ??= RunAsync(stopping.Token);

    /// <summary>
    /// Starts tracking a session: its stored history (from the journal) is replayed into a fresh tracker first, so the
    /// tracker and the de-duplication know everything already recorded.
    /// </summary>
    public AgentStateTracker Track(string sessionId, string directory)
    {
        var tracker = new AgentStateTracker(sessionId, trackerOptions, time, loggers.CreateLogger<AgentStateTracker>());
        var tracked = new TrackedSession(sessionId, directory, tracker);
        long cursor = 0;
        while (true)
        {
            SessionEventReadResult page = store.Read(sessionId, cursor, 1000);
            foreach (SessionEvent stored in page.Events)
            {
                tracked.Dedup.Observe(stored);
                tracker.Apply(stored);
            }

            cursor = page.NextCursor;
            if (!page.HasMore)
            {
                break;
            }
        }

        if (sessions.TryRemove(sessionId, out TrackedSession? previous))
        {
            previous.Tracker.Dispose();
        }

        sessions[sessionId] = tracked;
        return tracker;
    }

    /// <summary>Stops tracking a session (its history stays in the store).</summary>
    public void Untrack(string sessionId)
    {
        if (sessions.TryRemove(sessionId, out TrackedSession? tracked))
        {
            tracked.Tracker.Dispose();
        }
    }

    /// <summary>Adds what the server has for <paramref name="sessionId"/> and the store does not (after a gap, or on adoption).</summary>
    public async Task BackfillAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!sessions.TryGetValue(sessionId, out TrackedSession? tracked))
        {
            return;
        }

        byte[] messages = await client.GetMessagesJsonAsync(sessionId, tracked.Directory, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = time.GetUtcNow();
        int added = 0;
        foreach (OpencodeEvent item in OpencodeBackfill.ToEvents(sessionId, messages))
        {
            using (item)
            {
                added += Ingest(tracked, item, now) ? 1 : 0;
            }
        }

        if (added > 0)
        {
            logger.LogInformation("Backfilled {Count} events of session {Session}", added, sessionId);
        }
    }

    /// <summary>
    /// Feeds one event that arrived outside the event stream (the aetherflow-events plugin) into the pipeline: events of
    /// tracked sessions are de-duplicated, stored and applied exactly like streamed ones; anything else is ignored.
    /// </summary>
    /// <returns>What became of the event.</returns>
    public OpencodeIngestResult Ingest(OpencodeEvent item) => Ingest(item, batch: null);

    /// <summary>
    /// Like <see cref="Ingest(OpencodeEvent)"/>; with a <paramref name="batch"/> the event is applied at once, and
    /// journaled, published and announced to the tracker's listeners when the batch is flushed (see <see cref="SessionEventBatch"/>).
    /// </summary>
    public OpencodeIngestResult Ingest(OpencodeEvent item, SessionEventBatch? batch)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Kind is not (OpencodeEventKind.Session or OpencodeEventKind.Transient) || item.SessionId is not { } id)
        {
            return OpencodeIngestResult.NotSessionEvent;
        }

        if (!sessions.TryGetValue(id, out TrackedSession? tracked))
        {
            return OpencodeIngestResult.Untracked;
        }

        return Ingest(tracked, item, time.GetUtcNow(), batch) ? OpencodeIngestResult.Added : OpencodeIngestResult.Duplicate;
    }

    /// <summary>Starts a batch of events stored together (one journal write and one notification per session).</summary>
    public SessionEventBatch CreateBatch() => store.CreateBatch();

    /// <summary>Backfills every tracked session (after events may have been lost); failures are logged per session.</summary>
    public async Task BackfillAllAsync(CancellationToken cancellationToken)
    {
        foreach (string sessionId in sessions.Keys)
        {
            try
            {
                await BackfillAsync(sessionId, cancellationToken).ConfigureAwait(false);
            }
            catch (OpencodeApiException ex)
            {
                logger.LogWarning("Backfill of session {Session} after a gap failed: {Error}", sessionId, ex.Message);
            }
        }
    }

    /// <summary>Records an event the engine itself produced for a session (a steer message) in its stream.</summary>
    public SessionEvent RecordLocal(string sessionId, string type, ReadOnlySpan<byte> payload) =>
        store.Append(sessionId, type, payload, time.GetUtcNow());

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        foreach (TrackedSession tracked in sessions.Values)
        {
            tracked.Tracker.Dispose();
        }

        sessions.Clear();
        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = new OpencodeEventStreamReader(loggers.CreateLogger<OpencodeEventStreamReader>());
        TimeSpan backoff = TimeSpan.FromMilliseconds(250);
        bool hadGap = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using HttpResponseMessage response = await client.OpenGlobalEventStreamAsync(cancellationToken).ConfigureAwait(false);
                await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using ITimer stallCheck = time.CreateTimer(_ => CancelIfStalled(watchdog), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
                Touch();
                SetConnected(true);
                Connections++;
                backoff = TimeSpan.FromMilliseconds(250);
                if (hadGap)
                {
                    _ = BackfillAllAsync(cancellationToken);
                }

                await foreach (OpencodeEvent item in reader.ReadAllAsync(body, watchdog.Token).ConfigureAwait(false))
                {
                    using (item)
                    {
                        Touch();
                        if (item.SessionId is { } id && sessions.TryGetValue(id, out TrackedSession? tracked))
                        {
                            Ingest(tracked, item, time.GetUtcNow());
                        }
                    }
                }

                logger.LogWarning("The opencode event stream ended; reconnecting");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                logger.LogWarning("The opencode event stream went quiet for {Limit}; reconnecting", StallLimit);
            }
            catch (Exception ex) when (ex is OpencodeApiException or IOException or HttpRequestException or JsonException)
            {
                logger.LogWarning("The opencode event stream failed: {Error}; retrying in {Backoff}", ex.Message, backoff);
            }

            hadGap = true;
            SetConnected(false);
            try
            {
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    // Returns true when the event was new. The stream, backfill and pushed events can arrive for one session at the
    // same time; storing and applying under the session's gate keeps the store's order the order de-duplication saw.
    private bool Ingest(TrackedSession tracked, OpencodeEvent item, DateTimeOffset receivedAt, SessionEventBatch? batch = null)
    {
        lock (tracked.Gate)
        {
            if (!tracked.Dedup.TryAdd(item))
            {
                return false;
            }

            if (item.IsStored)
            {
                store.AppendParsed(tracked.SessionId, item.Type, item.PropertiesUtf8, receivedAt, batch);
            }

            // Whoever the state change wakes (the pool, the dashboard, an RPC client) may read the event straight away:
            // announce it only once the event is readable, which with a batch (or another writer) is a moment later.
            if (tracked.Tracker.ApplyUnannounced(item, receivedAt) is { } changed)
            {
                AnnounceWhenPublished(tracked, changed);
            }

            return true;
        }
    }

    // Apart from Ingest so that its closure is only allocated when there is something to announce.
    private void AnnounceWhenPublished(TrackedSession tracked, AgentStateSnapshot changed) =>
        store.WhenPublished(tracked.SessionId, () => tracked.Tracker.Announce(changed));

    private void Touch() => Interlocked.Exchange(ref lastEventTicks, time.GetUtcNow().UtcTicks);

    private void CancelIfStalled(CancellationTokenSource watchdog)
    {
        if (time.GetUtcNow().UtcTicks - Interlocked.Read(ref lastEventTicks) > StallLimit.Ticks)
        {
            try
            {
                watchdog.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection already ended.
            }
        }
    }

    private void SetConnected(bool value)
    {
        if (connected != value)
        {
            connected = value;
            ConnectionChanged?.Invoke(this, value);
        }
    }

    private sealed class TrackedSession(string sessionId, string directory, AgentStateTracker tracker)
    {
        public string SessionId { get; } = sessionId;

        public string Directory { get; } = directory;

        public AgentStateTracker Tracker { get; } = tracker;

        public OpencodeEventDeduplicator Dedup { get; } = new();

        public Lock Gate { get; } = new();
    }
}
