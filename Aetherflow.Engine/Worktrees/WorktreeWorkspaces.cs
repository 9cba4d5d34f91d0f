using Aetherflow.Engine.Pool;

namespace Aetherflow.Engine.Worktrees;

/// <summary>Gives each agent its own git worktree and branch (<c>.aetherflow/worktrees/&lt;id&gt;</c> on <c>af/&lt;id&gt;</c>).</summary>
public sealed class WorktreeWorkspaces : IAgentWorkspaces
{
    private readonly WorktreeManager worktrees;

    public WorktreeWorkspaces(WorktreeManager worktrees)
    {
        this.worktrees = worktrees;
    }

    public async Task<AgentWorkspace> PrepareAsync(string workId, CancellationToken cancellationToken)
    {
        Worktree worktree = await worktrees.EnsureAsync(workId, cancellationToken).ConfigureAwait(false);
        return new AgentWorkspace(worktree.Path, worktree.Branch);
    }
}
