namespace Aetherflow.Engine.Api;

/// <summary>A tracker task as the agent panel shows it. Text is as the tracker stores it: sanitise before display.</summary>
public sealed record TaskInfo
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>The status word, e.g. <c>in_progress</c>.</summary>
    public required string Status { get; init; }

    public int Priority { get; init; }

    public IReadOnlyList<string> Dependencies { get; init; } = [];

    public IReadOnlyList<string> Labels { get; init; } = [];

    public string Description { get; init; } = string.Empty;

    public string? DefinitionOfDone { get; init; }

    /// <summary>The task's log, oldest first.</summary>
    public IReadOnlyList<TaskLogLine> Logs { get; init; } = [];
}

/// <summary>One entry of a task's log.</summary>
public sealed record TaskLogLine(string Message, DateTimeOffset At);
