namespace Aetherflow.Engine.Worktrees;

/// <summary>What <see cref="WorktreeManager.RemoveAsync"/> may destroy besides a clean worktree folder.</summary>
public sealed record WorktreeRemoveOptions
{
    /// <summary>Nothing but a clean worktree; the branch stays.</summary>
    public static WorktreeRemoveOptions Default { get; } = new();

    /// <summary>
    /// Also delete branch <c>af/&lt;id&gt;</c>, but only when every commit on it is also reachable from another ref (pushed,
    /// or merged into another branch); otherwise the branch is kept and the result says why.
    /// </summary>
    public bool DeleteBranch { get; init; }

    /// <summary>
    /// Remove the worktree even with uncommitted changes or untracked files, and delete the branch (with
    /// <see cref="DeleteBranch"/>) even when its commits exist nowhere else. Only for an explicit request by a person.
    /// </summary>
    public bool DiscardChanges { get; init; }
}
