using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Pool;

namespace Aetherflow.Engine.Worktrees;

/// <summary>
/// Gives each agent its own git worktree and branch (<c>.aetherflow/worktrees/&lt;id&gt;</c> on <c>af/&lt;id&gt;</c>).
/// When the project keeps opencode plugins in <c>.opencode/</c>, the worktree's copy gets its npm state pre-seeded,
/// or opencode would stall for seconds installing plugin dependencies in every new worktree.
/// </summary>
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
        string opencodeFolder = Path.Combine(worktree.Path, ".opencode");
        if (Directory.Exists(Path.Combine(opencodeFolder, "plugin")) || Directory.Exists(Path.Combine(opencodeFolder, "plugins")))
        {
            OpencodeConfigDirectory.SeedPluginDependencies(opencodeFolder);
        }

        return new AgentWorkspace(worktree.Path, worktree.Branch);
    }
}
