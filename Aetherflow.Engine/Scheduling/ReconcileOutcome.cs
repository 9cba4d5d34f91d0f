namespace Aetherflow.Engine.Scheduling;

/// <summary>What the review reconciler decided about one task, or about a pass as a whole.</summary>
public enum ReconcileOutcome
{
    /// <summary>The task's branch landed; the task was marked done.</summary>
    Landed,

    /// <summary>The task's branch has not landed yet; nothing changed.</summary>
    NotLanded,

    /// <summary>The task's branch exists neither locally nor on the remote and was never seen landed; left for a person.</summary>
    BranchMissing,

    /// <summary>The task's branch has no commits of its own (it is still where it was created); left for a person.</summary>
    NoCommits,

    /// <summary>The tracker listed an id that is not a valid task id; it never reached git.</summary>
    InvalidTaskId,

    /// <summary>The remote could not be fetched; the pass compared with the last fetched state.</summary>
    FetchFailed,

    /// <summary>The repository has no such remote; reviews are compared with the local base branch.</summary>
    NoRemote,

    /// <summary>Something failed (git, the tracker); the task or the pass is tried again next time.</summary>
    Error,
}
