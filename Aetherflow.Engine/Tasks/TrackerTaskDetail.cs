namespace Aetherflow.Engine.Tasks;

/// <summary>Everything a tracker knows about one task.</summary>
public sealed record TrackerTaskDetail
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary><c>task</c> or <c>epic</c>.</summary>
    public string Type { get; init; } = "task";

    public TrackerTaskState State { get; init; }

    public int Priority { get; init; }

    public string Project { get; init; } = string.Empty;

    public string? Parent { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>The completion criteria ("definition of done"), when set.</summary>
    public string? DefinitionOfDone { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Ids of the tasks this one waits for.</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>Log entries, oldest first.</summary>
    public IReadOnlyList<TaskLogEntry> Logs { get; init; } = [];
}
