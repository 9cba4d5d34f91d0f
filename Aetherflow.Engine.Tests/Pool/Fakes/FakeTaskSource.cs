using System.Collections.Concurrent;
using Aetherflow.Engine.Tasks;

namespace Aetherflow.Engine.Tests.Pool.Fakes;

/// <summary>An in-memory tracker for pool unit tests; records every call in order.</summary>
internal sealed class FakeTaskSource : ITaskSource
{
    private readonly ConcurrentDictionary<string, TrackerTaskDetail> tasks = new();
    private readonly ConcurrentQueue<string> calls = new();
    private int order;

    public string Name => "fake";

    public string? ChangeSignalPath => null;

    public IReadOnlyList<string> Calls => [.. calls];

    /// <summary>When set, every call of that kind (e.g. "claim", "get", "list", "reopen") throws.</summary>
    public ConcurrentDictionary<string, string> Failures { get; } = new();

    public TrackerTaskDetail Add(string id, int priority = 2, TrackerTaskState state = TrackerTaskState.Open, params string[] labels)
    {
        var task = new TrackerTaskDetail { Id = id, Title = "Task " + id, Priority = priority, State = state, Labels = labels };
        tasks[id] = task;
        Interlocked.Increment(ref order);
        return task;
    }

    public TrackerTaskState StateOf(string id) => tasks[id].State;

    public IReadOnlyList<TaskLogEntry> LogOf(string id) => tasks[id].Logs;

    public void SetState(string id, TrackerTaskState state) => tasks[id] = tasks[id] with { State = state };

    /// <summary>When set, a ready-list call is recorded and then waits for this task (a slow tracker).</summary>
    public Task? HoldReady { get; set; }

    public async Task<IReadOnlyList<TrackerTask>> ListReadyAsync(CancellationToken cancellationToken)
    {
        Record("ready");
        if (HoldReady is { } hold)
        {
            await hold.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return tasks.Values.Where(t => t.State == TrackerTaskState.Open)
            .OrderBy(t => t.Priority).ThenBy(t => t.Id, StringComparer.Ordinal)
            .Select(t => new TrackerTask(t.Id, t.Title, t.Priority, t.State)).ToList();
    }

    public Task<IReadOnlyList<TrackerTask>> ListAsync(TrackerTaskState state, CancellationToken cancellationToken)
    {
        Record("list");
        IReadOnlyList<TrackerTask> list = tasks.Values.Where(t => t.State == state).OrderBy(t => t.Id, StringComparer.Ordinal)
            .Select(t => new TrackerTask(t.Id, t.Title, t.Priority, t.State)).ToList();
        return Task.FromResult(list);
    }

    public Task<TrackerTaskDetail> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        Record("get", taskId);
        return tasks.TryGetValue(taskId, out TrackerTaskDetail? task) ? Task.FromResult(task) : throw new TaskNotFoundException(taskId);
    }

    public Task ClaimAsync(string taskId, CancellationToken cancellationToken)
    {
        Record("claim", taskId);
        SetState(taskId, TrackerTaskState.InProgress);
        return Task.CompletedTask;
    }

    /// <summary>Runs inside <see cref="ReopenAsync"/> before the state changes (to hold a put-back half-way).</summary>
    public Action? BeforeReopen { get; set; }

    public Task ReopenAsync(string taskId, CancellationToken cancellationToken)
    {
        Record("reopen", taskId);
        BeforeReopen?.Invoke();
        SetState(taskId, TrackerTaskState.Open);
        return Task.CompletedTask;
    }

    public Task MarkDoneAsync(string taskId, CancellationToken cancellationToken)
    {
        Record("done", taskId);
        SetState(taskId, TrackerTaskState.Done);
        return Task.CompletedTask;
    }

    public Task AppendLogAsync(string taskId, string message, CancellationToken cancellationToken)
    {
        Record("log", taskId);
        tasks[taskId] = tasks[taskId] with { Logs = [.. tasks[taskId].Logs, new TaskLogEntry(message, DateTimeOffset.UnixEpoch)] };
        return Task.CompletedTask;
    }

    private void Record(string kind, string? id = null)
    {
        if (Failures.TryGetValue(kind, out string? message))
        {
            calls.Enqueue($"{kind} {id} (failed)".Trim());
            throw new TaskSourceException(message);
        }

        calls.Enqueue(id is null ? kind : $"{kind} {id}");
    }
}
