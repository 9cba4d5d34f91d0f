using System.Runtime.InteropServices;
using System.Text.Json;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// The <c>session.event</c> notifications of one socket connection, in the order they arrived:
/// <c>{"seq":N,"time":ms,"dropped":D,"directory":"…","event":{id,type,properties}}</c>, the first one normally the
/// plugin's <c>af.plugin.loaded</c> hello. Not thread-safe: the connection delivers its notifications one at a time
/// (each lane sharing a burst gets a feed of its own, <see cref="OpenLane"/>).
/// </summary>
public sealed class PluginEventFeed : IDisposable
{
    private const int LoudInvalidEvents = 5;
    private readonly PluginEventReceiver receiver;
    private readonly string peer;

    // Set on a lane: the connection's main feed, whose hello and sequence numbers speak for the lane's events too.
    private readonly PluginEventFeed? leader;

    // A connection carries the events of a few sessions: their ids repeat in every event.
    private readonly JsonStringCache strings = new();
    private readonly PluginEventTally tally = new();
    private SessionEventBatch? batch;
    private long invalidEvents;
    private bool disposed;

    internal PluginEventFeed(PluginEventReceiver receiver, string peer, PluginEventFeed? leader = null)
    {
        this.receiver = receiver;
        this.peer = peer;
        this.leader = leader;
    }

    /// <summary>The plugin instance's id from its hello (<c>&lt;pid&gt;-&lt;random&gt;</c>), or null before the hello.</summary>
    public string? Source
    {
        get => leader is null ? field : leader.Source;
        private set;
    }

    /// <summary>True when the plugin said it forwards for another project: its events are ignored.</summary>
    public bool Refused
    {
        get => leader?.Refused ?? field;
        private set;
    }

    /// <summary>
    /// Another feed for events of this connection that another thread handles (the sessions the read loop hands to one
    /// lane in a burst): it has its own string cache and batch, takes the hello and
    /// refusal of this feed, and leaves sequence numbers to this feed (<see cref="NoteSequence"/>), which sees them in
    /// the connection's order. Not counted as a connection; dispose it before this feed.
    /// </summary>
    internal PluginEventFeed OpenLane()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return new PluginEventFeed(receiver, peer, leader: this);
    }

    /// <summary>
    /// Notes the plugin sequence number of an event of this connection. Called in the connection's order, on the read
    /// loop: for this feed's own events as it handles them, and for a lane's as they are handed to it.
    /// </summary>
    internal void NoteSequence(long sequence)
    {
        if (Source is { } source && sequence > 0)
        {
            receiver.Sequence(source, sequence, peer);
        }
    }

    /// <summary>Handles one notification's <c>params</c>. Invalid input is counted and logged, never thrown.</summary>
    public OpencodeIngestResult? Accept(JsonElement parameters)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        tally.Received++;

        // The parser keeps a view of the bytes, so it gets its own copy of them.
        OpencodeIngestResult? result = parameters.ValueKind == JsonValueKind.Object
            ? Parse(JsonMarshal.GetRawUtf8Value(parameters).ToArray(), batch: null)
            : Invalid($"params must be a JSON object, got {(parameters.ValueKind == JsonValueKind.Undefined ? "none" : parameters.ValueKind.ToString().ToLowerInvariant())}");
        receiver.Report(tally);
        return result;
    }

    /// <summary>
    /// Handles one notification's <c>params</c> given as UTF-8 JSON; the feed keeps a view of
    /// <paramref name="parameters"/> while it works, so the caller must not change them. Invalid input is counted and
    /// logged, never thrown.
    /// </summary>
    public OpencodeIngestResult? Accept(ReadOnlyMemory<byte> parameters)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        tally.Received++;
        OpencodeIngestResult? result = Parse(parameters, batch: null);
        receiver.Report(tally);
        return result;
    }

    /// <summary>
    /// Like <see cref="Accept(ReadOnlyMemory{byte})"/>, but the event is journaled and becomes readable at the next
    /// <see cref="Flush"/> — together with the others queued since, one journal write and one notification per
    /// session. The socket queues every event of one read and flushes before it waits for the next.
    /// </summary>
    public OpencodeIngestResult? Enqueue(ReadOnlyMemory<byte> parameters)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        tally.Received++;
        if (leader is not null)
        {
            tally.OnLanes++;
        }

        return Batch() is { } open ? Parse(parameters, open) : OpencodeIngestResult.NotSessionEvent;
    }

    /// <summary>
    /// Like <see cref="Enqueue(ReadOnlyMemory{byte})"/> for params the socket already parsed with the rest of their
    /// line: <paramref name="parameters"/> is an element of <paramref name="document"/>, which the feed takes over
    /// (and disposes).
    /// </summary>
    internal OpencodeIngestResult? Enqueue(JsonDocument document, JsonElement parameters)
    {
        if (disposed)
        {
            document.Dispose();
            throw new ObjectDisposedException(GetType().FullName);
        }

        tally.Received++;
        if (Batch() is not { } open)
        {
            document.Dispose();
            return OpencodeIngestResult.NotSessionEvent;
        }

        return OpencodeEventParser.TryInterpret(document, parameters, strings, out OpencodeEvent? item, out string? error) ? Ingest(item, open) : Invalid(error);
    }

    /// <summary>
    /// Journals and publishes the events queued by <see cref="Enqueue(ReadOnlyMemory{byte})"/>, and adds what they
    /// came to to the receiver's <see cref="PluginEventReceiver.Counters"/>.
    /// </summary>
    public void Flush()
    {
        batch?.Flush();
        receiver.Report(tally);
    }

    /// <summary>Flushes what is queued and closes the feed.</summary>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            Flush();
            if (leader is null)
            {
                receiver.FeedClosed();
            }
        }
    }

    private OpencodeIngestResult? Parse(ReadOnlyMemory<byte> utf8, SessionEventBatch? batch) =>
        OpencodeEventParser.TryParse(utf8, strings, out OpencodeEvent? item, out string? error) ? Ingest(item, batch) : Invalid(error);

    /// <summary>The batch events are queued in, started on first use; null when the engine is stopping (counted as ignored).</summary>
    private SessionEventBatch? Batch()
    {
        if (batch is null)
        {
            try
            {
                batch = receiver.CreateBatch();
            }
            catch (ObjectDisposedException)
            {
                // The engine is stopping and its event store is closed.
                tally.Ignored++;
            }
        }

        return batch;
    }

    private OpencodeIngestResult? Ingest(OpencodeEvent item, SessionEventBatch? batch)
    {
        using (item)
        {
            if (item.Kind == OpencodeEventKind.PluginHello)
            {
                // A lane never sees a real hello (it names no session); one that does is ignored like a repeated one.
                if (leader is null)
                {
                    Hello(item.Properties);
                }

                tally.Ignored++;
                return OpencodeIngestResult.NotSessionEvent;
            }

            if (Refused)
            {
                tally.Ignored++;
                return OpencodeIngestResult.NotSessionEvent;
            }

            if (leader is null && Number(item.Root, "seq"u8) is long sequence)
            {
                NoteSequence(sequence);
            }

            try
            {
                OpencodeIngestResult result = receiver.Ingest(item, batch);
                tally.Count(result);
                return result;
            }
            catch (ObjectDisposedException)
            {
                // The engine is stopping and its event store is closed.
                tally.Ignored++;
                return OpencodeIngestResult.NotSessionEvent;
            }
        }
    }

    private static long? Number(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : null;

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Clean(string? text, int length = 80) => TerminalText.Truncate(TerminalText.SanitizeLine(text), length);

    private void Hello(JsonElement hello)
    {
        string pid = Number(hello, "pid"u8)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        Source = Clean(Text(hello, "source"u8) ?? $"{pid}-{peer}");
        string? project = Text(hello, "project"u8);
        if (project is { Length: > 0 } && !string.Equals(project, receiver.Project, StringComparison.Ordinal))
        {
            Refused = true;
            receiver.Logger.LogWarning(
                "Refused events from the aetherflow-events plugin in opencode pid {Pid} ({Peer}): it forwards for project '{Other}', this engine serves '{Project}'; that server was started with this engine's AETHERFLOW_SOCKET by mistake",
                pid,
                peer,
                Clean(project),
                receiver.Project);
            return;
        }

        receiver.Logger.LogInformation("The aetherflow-events plugin in opencode pid {Pid} connected ({Peer}, instance {Source})", pid, peer, Source);
    }

    private OpencodeIngestResult? Invalid(string reason)
    {
        tally.Invalid++;
        long count = ++invalidEvents;
        if (count <= LoudInvalidEvents || count % 100 == 0)
        {
            receiver.Logger.LogWarning("Ignored an invalid session.event from {Peer} ({Count} so far on this connection): {Reason}", peer, count, Clean(reason, 200));
        }
        else
        {
            receiver.Logger.LogDebug("Ignored an invalid session.event from {Peer}: {Reason}", peer, Clean(reason, 200));
        }

        return null;
    }
}
