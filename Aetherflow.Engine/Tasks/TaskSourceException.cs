namespace Aetherflow.Engine.Tasks;

/// <summary>A tracker call failed; the message is one line that says what failed and why.</summary>
public class TaskSourceException : Exception
{
    public TaskSourceException(string message)
        : base(message)
    {
    }

    public TaskSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TaskSourceException()
    {
    }
}

/// <summary>The tracker has no task with that id.</summary>
public sealed class TaskNotFoundException : TaskSourceException
{
    public TaskNotFoundException(string taskId)
        : base($"task {taskId} not found")
    {
        TaskId = taskId;
    }

    /// <summary>An unknown id, with the tracker's own one-line message (e.g. the command that failed and why).</summary>
    public TaskNotFoundException(string taskId, string message)
        : base(message)
    {
        TaskId = taskId;
    }

    public TaskNotFoundException()
    {
        TaskId = string.Empty;
    }

    public TaskNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        TaskId = string.Empty;
    }

    public string TaskId { get; }
}
