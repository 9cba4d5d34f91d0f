using System.Collections.Concurrent;
using Aetherflow.Engine.Api;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Pushes <c>agent.events</c> to one client. It keeps a read cursor per agent instead of a queue: an append only marks
/// the agent dirty, and the pump sends what lies between the client's cursor and the newest event — so a slow client
/// gets bigger batches, the engine never buffers for it, and nothing is skipped unless it left memory (then
/// <c>fell_behind</c> says so). A client that stops reading is disconnected once a send is stuck too long.
/// </summary>
internal sealed class EventsSubscription : IAsyncDisposable
{
    private const int BatchLimit = 500;
    private static readonly TimeSpan StuckSendLimit = TimeSpan.FromSeconds(10);
    private readonly IEngine engine;
    private readonly JsonRpc rpc;
    private readonly RpcPeer peer;
    private readonly HashSet<string> agents;
    private readonly bool lines;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, AgentEventsAppended> latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> cursors = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim dirty = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task pump;

    public EventsSubscription(IEngine engine, JsonRpc rpc, RpcPeer peer, IReadOnlyList<string> agents, bool lines, TimeProvider time, ILogger logger)
    {
        this.engine = engine;
        this.rpc = rpc;
        this.peer = peer;
        this.agents = new HashSet<string>(agents, StringComparer.Ordinal);
        this.lines = lines;
        this.time = time;
        this.logger = logger;
        engine.EventsAppended += OnAppended;
        pump = PumpAsync(stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        engine.EventsAppended -= OnAppended;
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
        dirty.Dispose();
    }

    private void OnAppended(object? sender, AgentEventsAppended appended)
    {
        if (agents.Count > 0 && !agents.Contains(appended.Agent))
        {
            return;
        }

        latest.AddOrUpdate(appended.Agent, appended, (_, old) => appended.LastSequence >= old.LastSequence ? appended : old);
        try
        {
            dirty.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
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
            await dirty.WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach ((string agent, AgentEventsAppended appended) in latest.ToArray())
            {
                long newest = appended.LastSequence;
                long cursor = cursors.TryGetValue(agent, out long known) ? known : newest - 1;
                while (cursor < newest)
                {
                    if (!await SendAsync(agent, appended.SessionId, cursor, newest, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    cursor = cursors[agent];
                }
            }
        }
    }

    // Sends one batch after `cursor`; false when the client is gone or stuck.
    private async Task<bool> SendAsync(string agent, string sessionId, long cursor, long newest, CancellationToken cancellationToken)
    {
        object payload;
        if (lines)
        {
            EventPage page;
            try
            {
                page = await engine.ReadEventsAsync(agent, cursor, BatchLimit, raw: false, cancellationToken).ConfigureAwait(false);
            }
            catch (KeyNotFoundException)
            {
                cursors[agent] = newest;
                return true;
            }

            cursors[agent] = page.NextCursor > cursor ? page.NextCursor : newest;
            payload = new { agent, sessionId = page.SessionId, lastSequence = cursors[agent], events = page.Events, fellBehind = page.FellBehind };
        }
        else
        {
            cursors[agent] = newest;
            payload = new { agent, sessionId, lastSequence = newest };
        }

        try
        {
            await rpc.NotifyWithParameterObjectAsync(RpcNotifications.AgentEvents, payload).WaitAsync(StuckSendLimit, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            logger.LogWarning("RPC client {Peer} stopped reading agent events for {Limit}; disconnecting it", peer, StuckSendLimit);
            rpc.Dispose();
            return false;
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or IOException)
        {
            return false;
        }
    }
}
