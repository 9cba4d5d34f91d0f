namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>
/// A status change the task's current status does not allow; the message names the current status and the statuses
/// the change is allowed from, e.g. <c>cannot review ts-1a2b3c: it is open; review is allowed only from in_progress</c>.
/// </summary>
public sealed class InvalidTaskTransitionException : TaskSourceException
{
    public InvalidTaskTransitionException(string taskId, TaskAction action, TrackerTaskState current)
        : base(Describe(taskId, action, current))
    {
        TaskId = taskId;
        Action = action;
        Current = current;
    }

    public InvalidTaskTransitionException()
    {
        TaskId = string.Empty;
    }

    public InvalidTaskTransitionException(string message)
        : base(message)
    {
        TaskId = string.Empty;
    }

    public InvalidTaskTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        TaskId = string.Empty;
    }

    /// <summary>The task that was asked to change.</summary>
    public string TaskId { get; }

    /// <summary>The refused change.</summary>
    public TaskAction Action { get; }

    /// <summary>The task's status when the change was refused.</summary>
    public TrackerTaskState Current { get; }

    private static string Describe(string taskId, TaskAction action, TrackerTaskState current)
    {
        string what = action switch
        {
            TaskAction.Done => $"mark {taskId} done",
            TaskAction.Open => $"reopen {taskId}",
            TaskAction.Draft => $"move {taskId} to draft",
            _ => $"{action.ToString().ToLowerInvariant()} {taskId}",
        };
        string currentName = TaskStatusNames.ToName(current);
        if (TaskTransitions.Target(action) == current)
        {
            return $"cannot {what}: it is already {currentName}";
        }

        IReadOnlyList<TrackerTaskState> allowed = TaskTransitions.AllowedFrom(action);
        string from = allowed.Count == 1
            ? "only from " + TaskStatusNames.ToName(allowed[0])
            : "from " + string.Join(", ", allowed.Take(allowed.Count - 1).Select(TaskStatusNames.ToName)) + " or " + TaskStatusNames.ToName(allowed[^1]);
        string hint = TaskStatusNames.IsTerminal(current) ? $" (reopen it first with 'aetherflow task open {taskId}')" : string.Empty;
        return $"cannot {what}: it is {currentName}; {action.ToString().ToLowerInvariant()} is allowed {from}{hint}";
    }
}
