namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>prog's status names and <see cref="TrackerTaskState"/>.</summary>
internal static class ProgStatus
{
    public static string ToProg(TrackerTaskState state) => state switch
    {
        TrackerTaskState.Draft => "draft",
        TrackerTaskState.Open => "open",
        TrackerTaskState.InProgress => "in_progress",
        TrackerTaskState.Blocked => "blocked",
        TrackerTaskState.Reviewing => "reviewing",
        TrackerTaskState.Done => "done",
        TrackerTaskState.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown task state"),
    };

    public static TrackerTaskState? FromProg(string? status) => status switch
    {
        "draft" => TrackerTaskState.Draft,
        "open" => TrackerTaskState.Open,
        "in_progress" => TrackerTaskState.InProgress,
        "blocked" => TrackerTaskState.Blocked,
        "reviewing" => TrackerTaskState.Reviewing,
        "done" => TrackerTaskState.Done,
        "canceled" => TrackerTaskState.Canceled,
        _ => null,
    };
}
