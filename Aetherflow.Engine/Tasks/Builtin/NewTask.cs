namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>What <see cref="BuiltinTaskStore.AddAsync"/> creates: one task with its dependencies and labels, all or nothing.</summary>
public sealed record NewTask
{
    /// <summary>One line saying what to do; stored literally, sanitised only when shown.</summary>
    public required string Title { get; init; }

    /// <summary>Lower numbers are scheduled first.</summary>
    public int Priority { get; init; } = BuiltinTaskStore.DefaultPriority;

    public string Description { get; init; } = string.Empty;

    /// <summary>The completion criteria, when there are any.</summary>
    public string? DefinitionOfDone { get; init; }

    /// <summary>Create the task as a draft (never ready) instead of open.</summary>
    public bool Draft { get; init; }

    /// <summary>Label names (letters, digits, '.', '_', '-'); <c>plan</c> makes the pool start a planner.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Ids of existing tasks this one waits for.</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];
}
