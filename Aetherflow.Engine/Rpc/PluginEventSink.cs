using System.IO.Hashing;
using System.Text.Json;
using Aetherflow.Engine.Opencode.Events;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// The <c>session.event</c> notifications of one connection, whichever way they arrive: well-formed ones straight
/// from the socket's read loop (before and after the connection needs a JSON-RPC dispatcher), malformed ones through
/// the dispatcher, which logs them. One plugin feed serves both, opened with the first event, so the plugin's hello
/// and sequence numbers keep their meaning for the whole connection.
/// </summary>
/// <remarks>
/// In a burst (a read that brought many lines) the read loop only reads the plugin's framing of each line and hands the
/// event to one of two lanes (<see cref="EventLane"/>, each a thread-pool work item) that parse, store and publish:
/// each session stays with one lane, assigned as sessions first appear, so a session's events keep their order.
/// Sequence numbers are noted by the read loop in the connection's order, and anything else on the connection (the
/// hello, an event that names no session, a request, the end of the connection) waits until both lanes are done.
/// Outside a burst, with the lanes idle, the read loop handles each line itself, without a hand-off.
/// </remarks>
internal sealed class PluginEventSink : ISessionEventSink, IDisposable, IAsyncDisposable
{
    // Two lanes and the read loop kept two processors busier than one lane beside a read loop that handled some sessions
    // itself (measured on two processors, docs/benchmarks.md): the read loop's own share made it the bottleneck or idle.
    private const int Lanes = 2;

    // More sessions than this are forgotten (and assigned afresh) once the lanes are idle.
    private const int MaxAssignedSessions = 4096;

    // The read loop does not wait for a lane while it keeps up; this many events behind, it does.
    private const int MaxQueuedOnLane = 4096;
    private readonly PluginEventReceiver? receiver;
    private readonly RpcPeer peer;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<ulong, int> laneOf = [];
    private readonly EventLane?[] lanes = new EventLane?[Lanes];
    private PluginEventFeed? feed;
    private long assigned;
    private bool unwanted;
    private bool disposed;

    /// <param name="receiver">Takes the events; null when the engine has no opencode runtime (they are ignored, said once).</param>
    /// <param name="peer">The connection, for logs.</param>
    /// <param name="logger">Says once per connection that events are ignored.</param>
    public PluginEventSink(PluginEventReceiver? receiver, RpcPeer peer, ILogger logger)
    {
        this.receiver = receiver;
        this.peer = peer;
        this.logger = logger;
    }

    /// <summary>Handles one notification's params as the dispatcher parsed them, at once (journaled and published).</summary>
    public void Accept(JsonElement parameters)
    {
        lock (gate)
        {
            Feed()?.Accept(parameters);
        }
    }

    /// <inheritdoc/>
    public void Accept(JsonDocument notification, JsonElement parameters)
    {
        lock (gate)
        {
            if (Feed() is { } open)
            {
                open.Enqueue(notification, parameters);
            }
            else
            {
                notification.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public EventLineRoute Route(ReadOnlyMemory<byte> line, bool burst)
    {
        lock (gate)
        {
            bool busy = AnyLaneBusy();
            if ((burst || busy) && !disposed && feed is { Source: not null, Refused: false } open
                && PluginEventLine.TryRead(line.Span, out long sequence, out ReadOnlySpan<byte> parameters, out ReadOnlySpan<byte> sessionId))
            {
                int index = LaneOf(sessionId, busy);
                if (lanes[index] is not { } lane)
                {
                    lanes[index] = lane = new EventLane(open.OpenLane(), logger);
                }

                open.NoteSequence(sequence);
                return lane.Add(parameters) > MaxQueuedOnLane ? EventLineRoute.TakenFull : EventLineRoute.Taken;
            }

            return busy ? EventLineRoute.AfterTaken : EventLineRoute.Here;
        }
    }

    /// <inheritdoc/>
    public ValueTask WhenTakenHandledAsync()
    {
        lock (gate)
        {
            List<Task>? waiting = null;
            foreach (EventLane? lane in lanes)
            {
                if (lane?.WhenIdleAsync() is { IsCompleted: false } idle)
                {
                    (waiting ??= []).Add(idle.AsTask());
                }
            }

            return waiting is null ? ValueTask.CompletedTask : new ValueTask(Task.WhenAll(waiting));
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        lock (gate)
        {
            feed?.Flush();
        }
    }

    /// <summary>Waits for the events handed to the lanes, publishes what is queued and closes the feeds.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (gate)
        {
            disposed = true;
        }

        await WhenTakenHandledAsync().ConfigureAwait(false);

        lock (gate)
        {
            Close();
        }
    }

    /// <summary>Publishes what is queued and closes the feed, where no line was routed (the accepting thread).</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (Array.Exists(lanes, lane => lane is not null))
            {
                throw new InvalidOperationException("a sink that handed lines to its lanes must be disposed with DisposeAsync");
            }

            disposed = true;
            Close();
        }
    }

    private void Close()
    {
        foreach (EventLane? lane in lanes)
        {
            lane?.Dispose();
        }

        feed?.Dispose();
        feed = null;
    }

    private bool AnyLaneBusy()
    {
        foreach (EventLane? lane in lanes)
        {
            if (lane?.IsBusy == true)
            {
                return true;
            }
        }

        return false;
    }

    // Sessions are assigned in turn as they first appear, whatever their ids.
    private int LaneOf(ReadOnlySpan<byte> sessionId, bool busy)
    {
        ulong key = XxHash3.HashToUInt64(sessionId);
        if (laneOf.TryGetValue(key, out int index))
        {
            return index;
        }

        if (laneOf.Count >= MaxAssignedSessions && !busy)
        {
            laneOf.Clear();
        }

        index = (int)(assigned++ % Lanes);
        laneOf[key] = index;
        return index;
    }

    private PluginEventFeed? Feed()
    {
        if (disposed)
        {
            // The connection is closing: a dispatch still running finds no feed to write to.
            return null;
        }

        if (receiver is null)
        {
            if (!unwanted)
            {
                unwanted = true;
                logger.LogInformation("Ignoring session.event notifications from {Peer}: this engine has no opencode runtime", peer);
            }

            return null;
        }

        return feed ??= receiver.OpenFeed(peer.ToString());
    }
}
