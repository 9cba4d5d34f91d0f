namespace Aetherflow.Engine.Demo;

/// <summary>One task of the demo project and the work its scripted agent does for it.</summary>
public sealed record DemoTaskPlan
{
    /// <summary>A short name, unique in the demo: what other tasks name as a dependency and the scenario is called after.</summary>
    public required string Key { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    public required string DefinitionOfDone { get; init; }

    /// <summary>Lower runs first.</summary>
    public int Priority { get; init; } = 2;

    /// <summary>The keys of the tasks this one waits for.</summary>
    public IReadOnlyList<string> After { get; init; } = [];

    /// <summary>Files the agent reads before it changes anything (opencode's edit tool needs the file read first).</summary>
    public IReadOnlyList<string> Reads { get; init; } = [];

    /// <summary>The changes, in order.</summary>
    public required IReadOnlyList<DemoChange> Changes { get; init; }

    /// <summary>The commit message on the task's branch.</summary>
    public required string CommitMessage { get; init; }

    /// <summary>One sentence for the handoff and the agent's final answer.</summary>
    public required string Summary { get; init; }
}
