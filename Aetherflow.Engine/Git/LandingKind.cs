namespace Aetherflow.Engine.Git;

/// <summary>Whether, and how, a work branch's changes reached the base branch.</summary>
public enum LandingKind
{
    /// <summary>The branch's changes are not (all) on the base branch.</summary>
    NotLanded,

    /// <summary>The branch tip is an ancestor of the base: a merge commit or a fast-forward.</summary>
    Merged,

    /// <summary>Every commit of the branch has a patch-equivalent commit on the base: a rebase merge or cherry-picks.</summary>
    Rebased,

    /// <summary>The branch's combined change is one commit on the base: a squash merge.</summary>
    Squashed,

    /// <summary>
    /// Merging the branch into the base would change nothing: its changes are already there (a squash merge with
    /// conflicts resolved, or the same change landed another way).
    /// </summary>
    ChangesUpstream,
}
