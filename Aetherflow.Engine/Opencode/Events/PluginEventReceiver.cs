using System.Collections.Concurrent;
using Aetherflow.Engine.Events;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Receives the events the aetherflow-events opencode plugin pushes over the engine socket (<c>session.event</c>
/// notifications, one <see cref="PluginEventFeed"/> per connection) and feeds them to the
/// <see cref="OpencodeEventPump"/>, which de-duplicates them against the event stream, stores and applies them.
/// </summary>
/// <remarks>
/// Only events of sessions the engine tracks are kept, so a plugin that forwards another project's sessions (a shared
/// server started with this engine's socket) changes nothing. A plugin whose hello names another project is refused
/// outright. The plugin numbers every event it sees; when a number is skipped (its queue overflowed while the engine
/// was away, or an event was too large for one frame) the tracked sessions are backfilled from the server.
/// </remarks>
public sealed class PluginEventReceiver : IDisposable
{
    private const int MaxRememberedSources = 256;
    private readonly OpencodeEventPump pump;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, long> lastSequences = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private long received;
    private long added;
    private long duplicates;
    private long untracked;
    private long ignored;
    private long invalid;
    private long lost;
    private long onLanes;
    private int feeds;
    private int backfilling;

    /// <param name="pump">The engine's event pipeline.</param>
    /// <param name="project">This engine's project; a plugin that says it forwards for another project is refused.</param>
    /// <param name="logger">Receives connections, refusals, invalid events and gaps.</param>
    public PluginEventReceiver(OpencodeEventPump pump, string project, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pump);
        ArgumentException.ThrowIfNullOrEmpty(project);
        this.pump = pump;
        Project = project;
        this.logger = logger;
    }

    /// <summary>The project this engine serves.</summary>
    public string Project { get; }

    /// <summary>Plugin connections currently open (ones that sent at least one notification).</summary>
    public int ActiveFeeds => Volatile.Read(ref feeds);

    /// <summary>What has been received so far.</summary>
    public PluginEventCounters Counters => new()
    {
        Received = Interlocked.Read(ref received),
        Added = Interlocked.Read(ref added),
        Duplicates = Interlocked.Read(ref duplicates),
        Untracked = Interlocked.Read(ref untracked),
        Ignored = Interlocked.Read(ref ignored),
        Invalid = Interlocked.Read(ref invalid),
        Lost = Interlocked.Read(ref lost),
        OnLanes = Interlocked.Read(ref onLanes),
        ActiveFeeds = ActiveFeeds,
    };

    internal ILogger Logger => logger;

    /// <summary>Starts the feed of one socket connection; dispose it when the connection closes.</summary>
    public PluginEventFeed OpenFeed(string peer)
    {
        ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
        Interlocked.Increment(ref feeds);
        return new PluginEventFeed(this, peer);
    }

    public void Dispose()
    {
        if (!stopping.IsCancellationRequested)
        {
            stopping.Cancel();
            stopping.Dispose();
        }
    }

    internal void FeedClosed() => Interlocked.Decrement(ref feeds);

    internal SessionEventBatch CreateBatch() => pump.CreateBatch();

    internal OpencodeIngestResult Ingest(OpencodeEvent item, SessionEventBatch? batch) => pump.Ingest(item, batch);

    /// <summary>Adds what a feed counted to the totals, and clears it.</summary>
    internal void Report(PluginEventTally tally)
    {
        AddIfAny(ref received, tally.Received);
        AddIfAny(ref added, tally.Added);
        AddIfAny(ref duplicates, tally.Duplicates);
        AddIfAny(ref untracked, tally.Untracked);
        AddIfAny(ref ignored, tally.Ignored);
        AddIfAny(ref invalid, tally.Invalid);
        AddIfAny(ref onLanes, tally.OnLanes);
        tally.Clear();
    }

    /// <summary>Notes the plugin sequence number of an event from <paramref name="source"/>; a skipped number starts a backfill.</summary>
    internal void Sequence(string source, long sequence, string peer)
    {
        long previous;
        while (true)
        {
            if (!lastSequences.TryGetValue(source, out previous))
            {
                if (lastSequences.TryAdd(source, sequence))
                {
                    previous = 0;
                    break;
                }
            }
            else if (sequence <= previous || lastSequences.TryUpdate(source, sequence, previous))
            {
                break;
            }
        }

        if (previous > 0 && sequence > previous + 1)
        {
            long missing = sequence - previous - 1;
            Interlocked.Add(ref lost, missing);
            logger.LogWarning(
                "The aetherflow-events plugin ({Peer}) lost {Missing} events (its queue overflowed while the engine was away, or an event was too large for one frame); backfilling the tracked sessions",
                peer,
                missing);
            RequestBackfill();
        }

        if (lastSequences.Count > MaxRememberedSources)
        {
            lastSequences.Clear();
        }
    }

    private static void AddIfAny(ref long total, long count)
    {
        if (count != 0)
        {
            Interlocked.Add(ref total, count);
        }
    }

    private void RequestBackfill()
    {
        if (stopping.IsCancellationRequested || Interlocked.Exchange(ref backfilling, 1) == 1)
        {
            return;
        }

        _ = BackfillAsync(stopping.Token);
    }

    private async Task BackfillAsync(CancellationToken cancellationToken)
    {
        try
        {
            await pump.BackfillAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Backfill after lost plugin events stopped with the engine");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or ObjectDisposedException)
        {
            logger.LogWarning("Backfill after lost plugin events failed: {Error}", ex.Message);
        }
        finally
        {
            Volatile.Write(ref backfilling, 0);
        }
    }
}
