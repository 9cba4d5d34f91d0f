using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Pool;

/// <summary>Scheduling passes: the queue, reclaim of orphaned tasks, and filling free slots.</summary>
public sealed partial class AgentPool
{
    private readonly Dictionary<string, DateTimeOffset> coolingUntil = new(StringComparer.Ordinal);
    private readonly HashSet<string> puttingBack = new(StringComparer.Ordinal);
    private readonly List<TaskCompletionSource> scheduleWaiters = [];
    private bool scheduling;
    private bool scheduleAgain;
    private IReadOnlyList<TrackerTask> lastReady = [];

    private void RequestSchedule(TaskCompletionSource done)
    {
        scheduleWaiters.Add(done);
        if (scheduling)
        {
            // A pass is running; requests that arrive meanwhile are folded into one more pass after it.
            scheduleAgain = true;
            return;
        }

        StartSchedulingPass();
    }

    private void StartSchedulingPass()
    {
        scheduling = true;
        List<TaskCompletionSource> waiters = [.. scheduleWaiters];
        scheduleWaiters.Clear();
        Background("scheduling pass", async ct =>
        {
            IReadOnlyList<TrackerTask>? ready = null;
            IReadOnlyList<TrackerTask>? inProgress = null;
            string? error = null;
            try
            {
                ready = await services.Tasks.ListReadyAsync(ct).ConfigureAwait(false);
                inProgress = await services.Tasks.ListAsync(TrackerTaskState.InProgress, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTrackerFailure(ex))
            {
                error = Reason(ex);
            }

            Post(() => ApplySchedule(ready, inProgress, error, waiters));
        });
    }

    private void ApplySchedule(IReadOnlyList<TrackerTask>? ready, IReadOnlyList<TrackerTask>? inProgress, string? error, List<TaskCompletionSource> waiters)
    {
        try
        {
            if (error is not null || ready is null || inProgress is null)
            {
                trackerWarning = $"tracker ({services.Tasks.Name}) unavailable: {error}";
                Decide("skip", "tracker", $"not scheduling: the {services.Tasks.Name} tracker failed: {error}");
                return;
            }

            trackerWarning = null;
            lastDecision.Remove("tracker");
            DateTimeOffset now = time.GetUtcNow();
            foreach (string expired in coolingUntil.Where(c => c.Value <= now).Select(c => c.Key).ToList())
            {
                coolingUntil.Remove(expired);
            }

            lastReady = ready;
            Reclaim(inProgress);
            Fill(ready);
        }
        finally
        {
            scheduling = false;
            foreach (TaskCompletionSource waiter in waiters)
            {
                AnswerAfterPublish(() => waiter.TrySetResult());
            }

            if (scheduleAgain)
            {
                scheduleAgain = false;
                StartSchedulingPass();
            }
        }
    }

    // In-progress tasks with no live agent were orphaned (an engine crash, a vanished agent): adopt them, resuming their
    // last session, without claiming again.
    private void Reclaim(IReadOnlyList<TrackerTask> inProgress)
    {
        foreach (TrackerTask task in inProgress)
        {
            if (IsLive(task.Id) || puttingBack.Contains(task.Id))
            {
                continue;
            }

            if (mode == PoolMode.Paused)
            {
                Decide("skip", "task:" + task.Id, $"{task.Id} is in progress with no agent; paused, so it is not adopted yet", taskId: task.Id);
                continue;
            }

            if (FreeSlots <= 0)
            {
                Decide("skip", "task:" + task.Id, $"{task.Id} is in progress with no agent; it waits for a free slot (pool {options.PoolSize}/{options.PoolSize})", taskId: task.Id);
                continue;
            }

            PoolEntry entry = NewEntry(task.Id, AgentOrigin.Pool, "worker", task.Title);
            Decide("reclaim", "task:" + task.Id, $"{entry.AgentName} adopts {task.Id}: in progress with no live agent", entry);
            Launch(entry, claim: false, lookUpSession: true);
        }
    }

    private void Fill(IReadOnlyList<TrackerTask> ready)
    {
        List<TrackerTask> candidates = ready.Where(t => !IsLive(t.Id)).ToList();
        if (candidates.Count == 0)
        {
            lastDecision.Remove("slots");
            return;
        }

        if (mode != PoolMode.Active)
        {
            Decide("skip", "slots", $"{Count(candidates.Count, "ready task")} not started: the pool is {Word(mode)}");
            return;
        }

        int started = 0;
        foreach (TrackerTask task in candidates)
        {
            if (coolingUntil.TryGetValue(task.Id, out DateTimeOffset until))
            {
                Decide("skip", "task:" + task.Id, $"{task.Id} is left alone until {until:HH:mm:ss} (it was put back after failing or being handed back)", taskId: task.Id);
                continue;
            }

            if (FreeSlots <= 0)
            {
                Decide("skip", "slots", $"{Count(candidates.Count - started, "ready task")} wait: pool full ({options.PoolSize}/{options.PoolSize})");
                return;
            }

            PoolEntry entry = NewEntry(task.Id, AgentOrigin.Pool, "worker", task.Title);
            Decide("spawn", "task:" + task.Id, $"{entry.AgentName} takes {task.Id} (priority {task.Priority.ToString(CultureInfo.InvariantCulture)})", entry);
            Launch(entry, claim: true, lookUpSession: false);
            started++;
        }

        lastDecision.Remove("slots");
    }

    /// <summary>The ready tasks of the last pass that no agent has taken since.</summary>
    private IReadOnlyList<QueuedTask> Queue() =>
        lastReady.Where(t => !IsLive(t.Id)).Select(t => new QueuedTask(t.Id, t.Priority, TerminalText.SanitizeLine(t.Title))).ToList();

    private bool IsLive(string workId) => entries.TryGetValue(workId, out PoolEntry? entry) && entry.Phase != EntryPhase.Finished;

    private void CoolDown(string workId) => coolingUntil[workId] = time.GetUtcNow() + options.GiveUpCooldown;

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
