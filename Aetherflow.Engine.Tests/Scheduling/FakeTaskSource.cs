using Aetherflow.Engine.Tasks;

namespace Aetherflow.Engine.Tests.Scheduling;

/// <summary>An in-memory tracker for unit tests of one class; records every call.</summary>
internal sealed class FakeTaskSource : ITaskSource
{
    private readonly Lock gate = new();
    private readonly List<(string Id, TrackerTaskState State, List<TaskLogEntry> Logs)> tasks = [];

    public string Name => "fake";

    public string? ChangeSignalPath => null;

    public List<string> Calls { get; } = [];

    /// <summary>Thrown (once) by the next <see cref="MarkDoneAsync"/>.</summary>
    public Exception? FailNextMarkDone { get; set; }

    /// <summary>Thrown (once) by the next <see cref="ListAsync"/>.</summary>
    public Exception? FailNextList { get; set; }

    public void Add(string id, TrackerTaskState state = TrackerTaskState.Reviewing)
    {
        lock (gate)
        {
            tasks.Add((id, state, []));
        }
    }

    public TrackerTaskState StateOf(string id)
    {
        lock (gate)
        {
            return tasks.First(t => t.Id == id).State;
        }
    }

    public IReadOnlyList<string> LogOf(string id)
    {
        lock (gate)
        {
            return tasks.First(t => t.Id == id).Logs.Select(l => l.Message).ToList();
        }
    }

    public int CallCount(string call) => Calls.Count(c => c == call);

    public Task<IReadOnlyList<TrackerTask>> ListReadyAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<TrackerTask>> ListAsync(TrackerTaskState state, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"list {state}");
            if (FailNextList is { } failure)
            {
                FailNextList = null;
                throw failure;
            }

            return Task.FromResult<IReadOnlyList<TrackerTask>>(
                tasks.Where(t => t.State == state).Select(t => new TrackerTask(t.Id, "title " + t.Id, 1, t.State)).ToList());
        }
    }

    public Task<TrackerTaskDetail> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"get {taskId}");
            var task = tasks.First(t => t.Id == taskId);
            return Task.FromResult(new TrackerTaskDetail { Id = taskId, Title = "title " + taskId, State = task.State, Logs = task.Logs.ToList() });
        }
    }

    public Task ClaimAsync(string taskId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ReopenAsync(string taskId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task MarkDoneAsync(string taskId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"done {taskId}");
            if (FailNextMarkDone is { } failure)
            {
                FailNextMarkDone = null;
                throw failure;
            }

            for (int i = 0; i < tasks.Count; i++)
            {
                if (tasks[i].Id == taskId)
                {
                    tasks[i] = tasks[i] with { State = TrackerTaskState.Done };
                }
            }

            return Task.CompletedTask;
        }
    }

    public Task AppendLogAsync(string taskId, string message, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Calls.Add($"log {taskId}");
            tasks.First(t => t.Id == taskId).Logs.Add(new TaskLogEntry(message, DateTimeOffset.UnixEpoch));
            return Task.CompletedTask;
        }
    }
}
