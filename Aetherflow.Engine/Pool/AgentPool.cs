using System.Threading.Channels;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Runtimes;
using Aetherflow.Engine.Text;
using Aetherflow.Engine.Tasks;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Pool;

/// <summary>
/// Runs one agent per task in a fixed number of slots, supervises them and never strands a task.
/// </summary>
/// <remarks>
/// All pool state is owned by one loop: public methods and background work (tracker calls, launches, agent exits,
/// timers) post small synchronous steps into a channel and the loop runs them one at a time. Nothing that waits on I/O
/// runs on the loop, so a slow tracker or launch never delays a stop or a mode change, and no two steps can race —
/// a late exit of an agent that a liveness sweep already replaced is recognised by its generation and ignored.
/// </remarks>
public sealed partial class AgentPool : IAsyncDisposable
{
    private readonly PoolServices services;
    private readonly PoolOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly RetryBackoff backoff;
    private readonly Channel<Action> inbox = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });

    // Answers to callers that wait until the current step's state is published (see AnswerAfterPublish); loop only.
    private readonly List<Action> answers = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Dictionary<string, PoolEntry> entries = new(StringComparer.Ordinal);
    private readonly HashSet<Task> background = [];
    private readonly Lock backgroundGate = new();
    private PoolMode mode = PoolMode.Active;
    private PoolState state;
    private Task? loop;
    private Task? liveness;

    public AgentPool(PoolServices services, PoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        this.services = services;
        this.options = options;
        logger = services.Logger;
        time = services.Time;
        backoff = new RetryBackoff(options.RetryBackoff, options.RetryBackoffMax, services.Random);
        state = new PoolState { Mode = mode, PoolSize = options.PoolSize };
    }

    /// <summary>Raised after <see cref="State"/> changed (on the pool's loop; handlers must be quick).</summary>
    public event EventHandler<PoolState>? StateChanged;

    /// <summary>Raised for every scheduling decision, including decisions not to act.</summary>
    public event EventHandler<EngineDecision>? Decided;

    /// <summary>The latest state.</summary>
    public PoolState State => Volatile.Read(ref state);

    /// <summary>Starts the loop and the liveness sweep.</summary>
    public void Start()
    {
        loop ??= RunLoopAsync();
        liveness ??= RunLivenessSweepAsync(stopping.Token);
    }

    /// <summary>Changes the mode. Resuming from paused respawns agents whose respawn was held.</summary>
    public Task<PoolMode> SetModeAsync(PoolMode newMode, CancellationToken cancellationToken) => InvokeAsync(() =>
    {
        PoolMode previous = mode;
        if (previous == newMode)
        {
            return newMode;
        }

        mode = newMode;
        Decide("mode", "mode", $"pool {Word(previous)} → {Word(newMode)}");
        if (newMode != PoolMode.Paused)
        {
            foreach (PoolEntry held in entries.Values.Where(e => e.Phase == EntryPhase.Held).ToList())
            {
                Decide("respawn", held.WorkId, $"{held.AgentName}: pool resumed; respawning for {held.WorkId}", held);
                Relaunch(held);
            }
        }

        return newMode;
    }, cancellationToken);

    /// <summary>
    /// One scheduling pass: ask the tracker for ready and in-progress tasks, adopt orphaned in-progress tasks (unless
    /// paused), and start ready tasks in free slots (only when active). Completes when the pass has been applied.
    /// </summary>
    public Task ScheduleAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => RequestSchedule(done));
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Starts a one-off agent from a person's prompt; it takes no slot.</summary>
    public Task<AgentInfo> SpawnAsync(SpawnRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw new ArgumentException("the spawn prompt is empty; say what the agent should do", nameof(request));
        }

        return InvokeAsync(() => StartSpawn(request), cancellationToken);
    }

    /// <summary>Sends a message into a running agent; the runtime must support it (opencode sessions do).</summary>
    public async Task SteerAgentAsync(string agentName, string message, string sender, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            throw new ArgumentException("the steer message is empty; say what the agent should do", nameof(message));
        }

        IAgentHandle handle = await InvokeAsync(
            () => entries.Values.FirstOrDefault(e => e.AgentName == agentName && e.Phase == EntryPhase.Running)?.Handle
                ?? throw new KeyNotFoundException($"no running agent is named '{agentName}'"),
            cancellationToken).ConfigureAwait(false);
        if (handle is not ISteerableAgent steerable)
        {
            throw new NotSupportedException($"{agentName} runs as a plain process (runtime: command) and cannot be steered");
        }

        await steerable.SteerAsync(message, sender, cancellationToken).ConfigureAwait(false);

        // Recorded before this returns, so the caller's next status shows who steered.
        await InvokeAsync(() => Decide("steer", "steer:" + agentName + ":" + time.GetUtcNow().Ticks, $"{agentName} steered by {sender}: {TerminalText.Truncate(TerminalText.SanitizeLine(message), 80)}", entries.Values.FirstOrDefault(e => e.AgentName == agentName)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops an agent by name; it is not respawned and a pool task is put back to open.</summary>
    public Task StopAgentAsync(string agentName, string requestedBy, CancellationToken cancellationToken) =>
        InvokeAsync(() => RequestStop(agentName, requestedBy), cancellationToken);

    /// <summary>
    /// Stops the pool: no further scheduling; with <paramref name="stopAgents"/> every running agent is stopped
    /// gracefully first. Background work is awaited.
    /// </summary>
    public async Task ShutdownAsync(bool stopAgents, CancellationToken cancellationToken)
    {
        if (stopAgents)
        {
            List<Task> stops = await InvokeAsync(
                () => entries.Values.Where(e => e.Handle is not null).Select(e =>
                {
                    e.StopRequestedBy ??= "engine shutdown";
                    return e.Handle!.StopAsync(options.StopGrace, cancellationToken);
                }).ToList(),
                cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(stops).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        inbox.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (backgroundGate)
        {
            pending = [.. background];
        }

        await Task.WhenAll(pending.Select(IgnoreCancellation)).ConfigureAwait(false);
        if (loop is not null)
        {
            await IgnoreCancellation(loop).ConfigureAwait(false);
        }

        if (liveness is not null)
        {
            await IgnoreCancellation(liveness).ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected while stopping.
        }
    }

    private static string Word(PoolMode value) => value.ToString().ToLowerInvariant();

    private Task<T> InvokeAsync<T>(Func<T> step, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool posted = Post(() =>
        {
            try
            {
                T value = step();
                AnswerAfterPublish(() => result.TrySetResult(value));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                result.TrySetException(ex);
            }
        });
        if (!posted)
        {
            // The loop has ended: nothing would ever answer.
            result.TrySetException(new InvalidOperationException("the engine is stopping and takes no more requests; start it again"));
        }

        return result.Task.WaitAsync(cancellationToken);
    }

    private Task InvokeAsync(Action step, CancellationToken cancellationToken) => InvokeAsync(() =>
    {
        step();
        return true;
    }, cancellationToken);

    // False once the loop has ended: the step is dropped.
    private bool Post(Action step)
    {
        if (inbox.Writer.TryWrite(step))
        {
            return true;
        }

        logger.LogDebug("Pool is stopping; a step was dropped");
        return false;
    }

    // Runs `then` on the thread that ends a timed wait (no thread-pool hop), so a clock moved past the wait has posted
    // the wait's step by the time the move returns. `then` must only look at the wait and post.
    private static void WhenWaitEnds(Task wait, Action<Task> then) =>
        wait.ContinueWith(then, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // Runs on the loop once the current step's state is published, so whoever it answers sees that state when their
    // call returns (the loop publishes after every step).
    private void AnswerAfterPublish(Action answer) => answers.Add(answer);

    private async Task RunLoopAsync()
    {
        await foreach (Action step in inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                step();
            }
            catch (Exception ex)
            {
                // A bug in one step must not kill the pool; it is logged with its stack and the loop carries on.
                logger.LogError(ex, "A pool step failed");
            }

            Publish();
            foreach (Action answer in answers)
            {
                answer();
            }

            answers.Clear();
        }
    }

    /// <summary>Runs I/O off the loop; its result comes back as a posted step. Tracked so shutdown can await it.</summary>
    private void Background(string what, Func<CancellationToken, Task> work)
    {
        Task task = Task.Run(async () =>
        {
            try
            {
                await work(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Shutting down.
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Pool background work failed: {What}", what);
            }
        });
        lock (backgroundGate)
        {
            background.Add(task);
        }

        task.ContinueWith(
            t =>
            {
                lock (backgroundGate)
                {
                    background.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Publish()
    {
        var next = new PoolState
        {
            Mode = mode,
            PoolSize = options.PoolSize,
            Agents = entries.Values.OrderBy(e => e.SpawnedAt).ThenBy(e => e.AgentName, StringComparer.Ordinal).Select(e => e.ToInfo()).ToList(),
            Queue = Queue(),
            Warnings = trackerWarning is null ? [] : [trackerWarning],
        };
        Volatile.Write(ref state, next);
        StateChanged?.Invoke(this, next);
    }

    private async Task RunLivenessSweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.LivenessInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            Post(SweepVanishedAgents);
        }
    }

    private int FreeSlots => options.PoolSize - entries.Values.Count(e => e.HoldsSlot);

    private void Decide(string kind, string key, string message, PoolEntry? entry = null, string? taskId = null)
    {
        if (lastDecision.TryGetValue(key, out string? last) && last == message)
        {
            return;
        }

        lastDecision[key] = message;
        logger.LogInformation("Decision {Kind}: {Message}", kind, message);
        Decided?.Invoke(this, new EngineDecision
        {
            At = time.GetUtcNow(),
            Kind = kind,
            TaskId = entry?.WorkId ?? taskId,
            Agent = entry?.AgentName,
            Message = message,
        });
    }

    private readonly Dictionary<string, string> lastDecision = new(StringComparer.Ordinal);
    private string? trackerWarning;

    private static string Reason(Exception ex) => ex.Message.Split('\n')[0].Trim();

    private static bool IsTrackerFailure(Exception ex) => ex is TaskSourceException or IOException or TimeoutException;
}
