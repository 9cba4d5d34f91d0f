namespace Aetherflow.Engine.Worktrees;

/// <summary>What happened to a worktree asked to be removed.</summary>
public enum WorktreeRemovalOutcome
{
    /// <summary>The worktree folder and its registration are gone.</summary>
    Removed,

    /// <summary>There was no worktree for that id.</summary>
    NotFound,

    /// <summary>The folder was already gone; its stale registration was pruned.</summary>
    PrunedStale,

    /// <summary>Kept: it has uncommitted changes or untracked files (nothing was touched).</summary>
    KeptDirty,

    /// <summary>Kept: the worktree is locked (<c>git worktree lock</c>).</summary>
    KeptLocked,
}
