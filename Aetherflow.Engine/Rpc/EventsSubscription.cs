using System.Collections.Concurrent;
using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Pushes <c>agent.events</c> to one client. It keeps a read cursor per agent instead of a queue: an append only marks
/// the agent dirty, and the pump sends what lies between the client's cursor and the newest event — so a slow client
/// gets bigger batches, the engine never buffers for it, and nothing is skipped unless it left memory (then
/// <c>fell_behind</c> says so). A client that stops reading altogether is dropped by its <see cref="SubscriberSender"/>.
/// </summary>
internal sealed class EventsSubscription : IAsyncDisposable
{
    private const int BatchLimit = 500;
    private readonly IEngine engine;
    private readonly SubscriberSender sender;
    private readonly HashSet<string> agents;
    private readonly bool lines;
    private readonly ConcurrentDictionary<string, AgentEventsAppended> latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Session, long Cursor)> cursors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Agent, string Session), long> starts = new();
    private readonly SemaphoreSlim dirty = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task pump;

    public EventsSubscription(IEngine engine, SubscriberSender sender, IReadOnlyList<string> agents, bool lines)
    {
        this.engine = engine;
        this.sender = sender;
        this.agents = new HashSet<string>(agents, StringComparer.Ordinal);
        this.lines = lines;
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

        // Where this subscriber's view of a session begins: just before its first append seen after subscribing. The
        // pump only sees the newest append of each agent, so it could not tell this itself.
        starts.TryAdd((appended.Agent, appended.SessionId), (appended.FirstSequence > 0 ? appended.FirstSequence : appended.LastSequence) - 1);
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

    /// <summary>
    /// Sends every event appended so far that this subscriber has not had; false when the client is gone or stuck.
    /// The caller holds the connection's <see cref="SubscriberSender.Order"/>.
    /// </summary>
    public async Task<bool> SendPendingAsync(CancellationToken cancellationToken)
    {
        foreach ((string agent, AgentEventsAppended appended) in latest.ToArray())
        {
            long newest = appended.LastSequence;

            // Sequences are per session: an agent seen in a new session (a respawn) starts where that session began for us.
            long cursor = cursors.TryGetValue(agent, out (string Session, long Cursor) known) && known.Session == appended.SessionId
                ? known.Cursor
                : starts.GetValueOrDefault((agent, appended.SessionId), newest - 1);
            while (cursor < newest)
            {
                if (!await SendAsync(agent, appended.SessionId, cursor, newest, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                cursor = cursors[agent].Cursor;
            }
        }

        return true;
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await dirty.WaitAsync(cancellationToken).ConfigureAwait(false);
            await sender.Order.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!await SendPendingAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            finally
            {
                sender.Order.Release();
            }
        }
    }

    // Sends one batch after `cursor`; false when the client is gone or stuck.
    private async Task<bool> SendAsync(string agent, string sessionId, long cursor, long newest, CancellationToken cancellationToken)
    {
        AgentEventsParams payload;
        if (lines)
        {
            EventPage page;
            try
            {
                page = await engine.ReadEventsAsync(agent, cursor, BatchLimit, raw: false, cancellationToken).ConfigureAwait(false);
            }
            catch (KeyNotFoundException)
            {
                cursors[agent] = (sessionId, newest);
                return true;
            }

            long next = page.NextCursor > cursor ? page.NextCursor : newest;
            cursors[agent] = (sessionId, next);
            payload = new AgentEventsParams { Agent = agent, SessionId = page.SessionId, LastSequence = next, Events = page.Events, FellBehind = page.FellBehind };
        }
        else
        {
            cursors[agent] = (sessionId, newest);
            payload = new AgentEventsParams { Agent = agent, SessionId = sessionId, LastSequence = newest };
        }

        return await sender.SendAsync(RpcNotifications.AgentEvents, payload, cancellationToken).ConfigureAwait(false);
    }
}
