namespace Aetherflow.Engine.Worktrees;

/// <summary>How <see cref="WorktreeManager.EnsureAsync"/> got a worktree.</summary>
public enum WorktreeSetup
{
    /// <summary>It already existed and was returned as is (a respawn continues the same work).</summary>
    Reused,

    /// <summary>A new branch <c>af/&lt;id&gt;</c> was created from the base branch.</summary>
    CreatedFromBase,

    /// <summary>The existing local branch <c>af/&lt;id&gt;</c> was checked out, unchanged.</summary>
    CheckedOutBranch,

    /// <summary>The branch existed only on the remote; a local branch tracking it was created.</summary>
    CreatedFromRemoteBranch,
}
