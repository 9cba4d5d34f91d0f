namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>A claim of an open task that still waits for dependencies that are neither done nor canceled.</summary>
public sealed class TaskNotReadyException : TaskSourceException
{
    public TaskNotReadyException(string taskId, IReadOnlyList<TrackerTask> waitingFor)
        : base($"cannot start {taskId}: it waits for {Describe(waitingFor)}")
    {
        TaskId = taskId;
        WaitingFor = waitingFor;
    }

    public TaskNotReadyException()
    {
        TaskId = string.Empty;
        WaitingFor = [];
    }

    public TaskNotReadyException(string message)
        : base(message)
    {
        TaskId = string.Empty;
        WaitingFor = [];
    }

    public TaskNotReadyException(string message, Exception innerException)
        : base(message, innerException)
    {
        TaskId = string.Empty;
        WaitingFor = [];
    }

    /// <summary>The task that was not claimed.</summary>
    public string TaskId { get; }

    /// <summary>Its unresolved dependencies, with their statuses.</summary>
    public IReadOnlyList<TrackerTask> WaitingFor { get; }

    private static string Describe(IReadOnlyList<TrackerTask> waitingFor) =>
        string.Join(", ", waitingFor.Select(t => $"{t.Id} ({(t.State is { } state ? TaskStatusNames.ToName(state) : "?")})"));
}
