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
/// In a burst (a read that brought many lines) the events of some of the connection's sessions are handed to a
/// second thread (<see cref="EventLane"/>) as the read loop meets them, and the read loop handles the rest itself:
/// each session stays with one of the two, assigned as sessions first appear, so a session's events keep their order.
/// Sequence numbers are noted by the read loop in the connection's order, and anything else on the connection (the
/// hello, an event that names no session, a request, the end of the connection) waits until the second thread is done.
/// </remarks>
internal sealed class PluginEventSink : ISessionEventSink, IDisposable, IAsyncDisposable
{
    // More sessions than this are forgotten (and assigned afresh) once the second lane is idle.
    private const int MaxAssignedSessions = 4096;

    // The read loop does not wait for the second lane while it keeps up; this many events behind, it does.
    private const int MaxQueuedOnSecondLane = 4096;
    private readonly PluginEventReceiver? receiver;
    private readonly RpcPeer peer;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<ulong, bool> onSecondLane = [];
    private PluginEventFeed? feed;
    private EventLane? lane;
    private PluginEventFeed? laneFeed;
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
            bool busy = lane?.IsBusy == true;
            if ((burst || busy) && !disposed && feed is { Source: not null, Refused: false } open
                && PluginEventLine.TryRead(line.Span, out long sequence, out ReadOnlySpan<byte> parameters, out ReadOnlySpan<byte> sessionId))
            {
                if (!OnSecondLane(sessionId, busy))
                {
                    // This thread's own: its params are handled here and now, without parsing the envelope again.
                    line.Span.Overlaps(parameters, out int offset);
                    open.Enqueue(line.Slice(offset, parameters.Length));
                    return EventLineRoute.Taken;
                }

                if (lane is null)
                {
                    laneFeed = open.OpenLane();
                    lane = new EventLane(laneFeed, logger);
                }

                open.NoteSequence(sequence);
                return lane.Add(parameters) > MaxQueuedOnSecondLane ? EventLineRoute.TakenFull : EventLineRoute.Taken;
            }

            return busy ? EventLineRoute.AfterTaken : EventLineRoute.Here;
        }
    }

    /// <inheritdoc/>
    public ValueTask WhenTakenHandledAsync()
    {
        lock (gate)
        {
            return lane?.WhenIdleAsync() ?? ValueTask.CompletedTask;
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

    /// <summary>Waits for the events handed to the second thread, publishes what is queued and closes the feeds.</summary>
    public async ValueTask DisposeAsync()
    {
        EventLane? handing;
        lock (gate)
        {
            disposed = true;
            handing = lane;
        }

        if (handing is not null)
        {
            await handing.WhenIdleAsync().ConfigureAwait(false);
        }

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
            if (lane is not null)
            {
                throw new InvalidOperationException("a sink that handed lines to a second thread must be disposed with DisposeAsync");
            }

            disposed = true;
            Close();
        }
    }

    private void Close()
    {
        laneFeed?.Dispose();
        laneFeed = null;
        feed?.Dispose();
        feed = null;
    }

    // Sessions are assigned as they first appear, whatever their ids: seven of every ten to the second thread, since the
    // read loop also reads, frames and routes every line of the connection (an even split left the second thread idle).
    private bool OnSecondLane(ReadOnlySpan<byte> sessionId, bool busy)
    {
        ulong key = XxHash3.HashToUInt64(sessionId);
        if (onSecondLane.TryGetValue(key, out bool second))
        {
            return second;
        }

        if (onSecondLane.Count >= MaxAssignedSessions && !busy)
        {
            onSecondLane.Clear();
        }

        second = ((assigned + 1) * 7 / 10) != (assigned * 7 / 10);
        assigned++;
        onSecondLane[key] = second;
        return second;
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
