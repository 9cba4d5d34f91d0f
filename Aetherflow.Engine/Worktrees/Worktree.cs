namespace Aetherflow.Engine.Worktrees;

/// <summary>An agent's worktree: <c>&lt;project&gt;/.aetherflow/worktrees/&lt;id&gt;</c>, normally on branch <c>af/&lt;id&gt;</c>.</summary>
/// <param name="Id">The validated work id (task or spawn id).</param>
/// <param name="Path">The worktree folder.</param>
/// <param name="Branch">The branch checked out there (<c>af/&lt;id&gt;</c> unless an agent switched), or null when HEAD is detached (e.g. mid-rebase).</param>
/// <param name="Head">The commit checked out.</param>
/// <param name="Setup">Whether it was reused or how it was created.</param>
public sealed record Worktree(string Id, string Path, string? Branch, string Head, WorktreeSetup Setup)
{
    /// <summary>The ref a new branch was started from (e.g. <c>refs/remotes/origin/main</c>); null when no branch was created.</summary>
    public string? StartPoint { get; init; }
}
