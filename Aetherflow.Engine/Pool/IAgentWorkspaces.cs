namespace Aetherflow.Engine.Pool;

/// <summary>Prepares the folder an agent works in — in production its own git worktree and branch.</summary>
public interface IAgentWorkspaces
{
    /// <summary>Creates or reuses the workspace of <paramref name="workId"/> (a validated task or spawn id).</summary>
    Task<AgentWorkspace> PrepareAsync(string workId, CancellationToken cancellationToken);
}

/// <summary>Where an agent works: a folder and, for git worktrees, its branch.</summary>
public sealed record AgentWorkspace(string Path, string? Branch);
