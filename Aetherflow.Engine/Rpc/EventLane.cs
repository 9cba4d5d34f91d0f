using Aetherflow.Engine.Opencode.Events;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Handles some of one connection's plugin events on a thread-pool thread while the connection's read loop reads and
/// routes the burst, so a burst uses both processors. The read loop hands over the params of each event it routes
/// here (a copy: the socket's buffer moves on); the lane parses, stores and publishes them in the order they were
/// added, through a feed of its own (<see cref="PluginEventFeed.OpenLane"/>), and publishes when it runs out of them.
/// </summary>
/// <remarks>
/// Events of one session all go to one lane (see <see cref="PluginEventSink"/>), so lanes never race on a session;
/// anything that must keep the connection's order across lanes waits for <see cref="WhenIdleAsync"/> first.
/// </remarks>
internal sealed class EventLane : IThreadPoolWorkItem, IDisposable
{
    // Events held back from publishing at most, while more keep coming.
    private const int FlushEvery = 256;
    private readonly PluginEventFeed feed;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private Batch queued = new();
    private Batch working = new();
    private bool running;
    private TaskCompletionSource? idle;

    /// <param name="feed">The lane's own feed (<see cref="PluginEventFeed.OpenLane"/>); the lane closes it.</param>
    /// <param name="logger">Where a failed run is logged.</param>
    public EventLane(PluginEventFeed feed, ILogger logger)
    {
        this.feed = feed;
        this.logger = logger;
    }

    /// <summary>
    /// True while events handed over are not yet all stored and published. Read without the lock on every line: only
    /// the adding thread sets it (the lane clears it), so that thread never misses its own setting, and a "busy" read
    /// just before the lane went idle only means a wait that ends at once.
    /// </summary>
    public bool IsBusy => Volatile.Read(ref running);

    /// <summary>Queues one event's params (copied), starts the lane if it is not running, and returns how many are queued.</summary>
    public int Add(ReadOnlySpan<byte> parameters)
    {
        int count;
        lock (gate)
        {
            queued.Add(parameters);
            count = queued.Count;
            if (running)
            {
                return count;
            }

            running = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return count;
    }

    /// <summary>Closes the lane's feed; call once <see cref="WhenIdleAsync"/> has completed.</summary>
    public void Dispose() => feed.Dispose();

    /// <summary>Completes once every event handed over so far is stored and published.</summary>
    public ValueTask WhenIdleAsync()
    {
        lock (gate)
        {
            if (!running)
            {
                return ValueTask.CompletedTask;
            }

            idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask(idle.Task);
        }
    }

    /// <summary>
    /// Handles what is queued, run after run, until nothing is left; publishes when it runs out of work (or has held
    /// many events back), so the events of a burst are journaled in large writes, as the read loop's are.
    /// </summary>
    public void Execute()
    {
        int unflushed = 0;
        while (true)
        {
            bool outOfWork;
            lock (gate)
            {
                outOfWork = queued.Count == 0;
                if (outOfWork && unflushed == 0)
                {
                    running = false;
                    TaskCompletionSource? done = idle;
                    idle = null;
                    done?.TrySetResult();
                    return;
                }

                (queued, working) = (working, queued);
            }

            try
            {
                for (int i = 0; i < working.Count; i++)
                {
                    feed.Enqueue(working.Parameters(i));
                }

                unflushed += working.Count;
                if (outOfWork || unflushed >= FlushEvery)
                {
                    unflushed = 0;
                    feed.Flush();
                }
            }
            catch (Exception ex)
            {
                // The feed counts bad events and absorbs the engine stopping; anything else is a bug. The lane carries
                // on with what comes next rather than leaving the connection waiting for it for ever.
                unflushed = 0;
                logger.LogError(ex, "Handling {Count} plugin events on a lane of their connection failed", working.Count);
            }
            finally
            {
                working.Clear();
            }
        }
    }

    /// <summary>Events' params back to back in one growing buffer.</summary>
    private sealed class Batch
    {
        private readonly List<int> ends = [];
        private byte[] bytes = new byte[64 * 1024];
        private int length;

        public int Count => ends.Count;

        public void Add(ReadOnlySpan<byte> parameters)
        {
            if (length + parameters.Length > bytes.Length)
            {
                Array.Resize(ref bytes, Math.Max(bytes.Length * 2, length + parameters.Length));
            }

            parameters.CopyTo(bytes.AsSpan(length));
            length += parameters.Length;
            ends.Add(length);
        }

        public ReadOnlyMemory<byte> Parameters(int index)
        {
            int start = index == 0 ? 0 : ends[index - 1];
            return bytes.AsMemory(start, ends[index] - start);
        }

        public void Clear()
        {
            ends.Clear();
            length = 0;
        }
    }
}
