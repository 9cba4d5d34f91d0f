namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>
/// The status names the built-in store keeps and the command line accepts — prog's names, without <c>blocked</c>
/// (readiness is derived from dependencies, never stored).
/// </summary>
public static class TaskStatusNames
{
    /// <summary>Every status a task in the built-in store can have, in lifecycle order.</summary>
    public static IReadOnlyList<TrackerTaskState> All { get; } =
    [
        TrackerTaskState.Draft,
        TrackerTaskState.Open,
        TrackerTaskState.InProgress,
        TrackerTaskState.Reviewing,
        TrackerTaskState.Done,
        TrackerTaskState.Canceled,
    ];

    /// <summary>The valid names, for error messages: <c>draft, open, in_progress, reviewing, done, canceled</c>.</summary>
    public static string ValidNames { get; } = string.Join(", ", All.Select(ToName));

    /// <summary>The stored name of <paramref name="state"/> (<c>in_progress</c>, …).</summary>
    public static string ToName(TrackerTaskState state) => state switch
    {
        TrackerTaskState.Draft => "draft",
        TrackerTaskState.Open => "open",
        TrackerTaskState.InProgress => "in_progress",
        TrackerTaskState.Blocked => "blocked",
        TrackerTaskState.Reviewing => "reviewing",
        TrackerTaskState.Done => "done",
        TrackerTaskState.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown task status"),
    };

    /// <summary>Parses a stored status name; <c>blocked</c> and anything else are refused.</summary>
    public static bool TryParse(string? name, out TrackerTaskState state)
    {
        foreach (TrackerTaskState candidate in All)
        {
            if (string.Equals(ToName(candidate), name, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>True for done and canceled: the statuses that resolve dependencies and end a task's life.</summary>
    public static bool IsTerminal(TrackerTaskState state) => state is TrackerTaskState.Done or TrackerTaskState.Canceled;
}
