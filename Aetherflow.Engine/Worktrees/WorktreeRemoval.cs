namespace Aetherflow.Engine.Worktrees;

/// <summary>The result of <see cref="WorktreeManager.RemoveAsync"/>.</summary>
/// <param name="Id">The work id.</param>
/// <param name="Outcome">What happened to the worktree.</param>
/// <param name="Message">One line for a person, e.g. "worktree ts-1 kept: 2 uncommitted changes".</param>
public sealed record WorktreeRemoval(string Id, WorktreeRemovalOutcome Outcome, string Message)
{
    /// <summary>True when branch <c>af/&lt;id&gt;</c> was deleted.</summary>
    public bool BranchDeleted { get; init; }
}
