namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>Which status each <see cref="TaskAction"/> leads to and which statuses it is allowed from.</summary>
public static class TaskTransitions
{
    private static readonly TrackerTaskState[] NonTerminal =
        [TrackerTaskState.Draft, TrackerTaskState.Open, TrackerTaskState.InProgress, TrackerTaskState.Reviewing];

    /// <summary>The status a task has after <paramref name="action"/>.</summary>
    public static TrackerTaskState Target(TaskAction action) => action switch
    {
        TaskAction.Start => TrackerTaskState.InProgress,
        TaskAction.Review => TrackerTaskState.Reviewing,
        TaskAction.Done => TrackerTaskState.Done,
        TaskAction.Cancel => TrackerTaskState.Canceled,
        TaskAction.Open => TrackerTaskState.Open,
        TaskAction.Draft => TrackerTaskState.Draft,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown task action"),
    };

    /// <summary>The statuses <paramref name="action"/> may start from.</summary>
    public static IReadOnlyList<TrackerTaskState> AllowedFrom(TaskAction action) => action switch
    {
        TaskAction.Start => [TrackerTaskState.Open],
        TaskAction.Review => [TrackerTaskState.InProgress],
        TaskAction.Done or TaskAction.Cancel => NonTerminal,
        TaskAction.Open or TaskAction.Draft => TaskStatusNames.All,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown task action"),
    };

    /// <summary>True when a task in <paramref name="current"/> may take <paramref name="action"/>.</summary>
    public static bool IsAllowed(TaskAction action, TrackerTaskState current) => AllowedFrom(action).Contains(current);
}
