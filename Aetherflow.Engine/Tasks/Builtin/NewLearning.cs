namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>What <see cref="BuiltinTaskStore.LearnAsync"/> records: something the next agent should know.</summary>
public sealed record NewLearning
{
    /// <summary>One line.</summary>
    public required string Summary { get; init; }

    /// <summary>Topic tags (at least one; letters, digits, '.', '_', '-'; stored lower-case).</summary>
    public required IReadOnlyList<string> Concepts { get; init; }

    /// <summary>The longer explanation, if any.</summary>
    public string? Detail { get; init; }

    /// <summary>The task it came from, if any (must exist).</summary>
    public string? TaskId { get; init; }
}
