using System.Globalization;
using Aetherflow.Engine.Git;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Worktrees;

/// <summary>
/// The careful half of <see cref="WorktreeManager.RemoveAsync"/>: removes a live worktree only when nothing
/// uncommitted would be lost, and deletes a branch only when its commits are reachable from another ref.
/// </summary>
internal sealed class WorktreeCleanup(GitClient git, ILogger logger)
{
    /// <summary>Removes the worktree at <paramref name="path"/>; returns a "kept" result instead when it has changes.</summary>
    public async Task<WorktreeRemoval?> RemoveLiveAsync(string id, string path, bool discardChanges, CancellationToken cancellationToken)
    {
        if (!discardChanges && await CountChangesAsync(path, cancellationToken).ConfigureAwait(false) is > 0 and var changes)
        {
            return Kept(changes);
        }

        string[] args = discardChanges ? ["worktree", "remove", "--force", "--", path] : ["worktree", "remove", "--", path];
        GitResult result = await git.RunAsync(args, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return null;
        }

        // Refused although it looked clean: an agent may have written in between. Decide by looking again, not by
        // reading git's message.
        if (!discardChanges && await CountChangesAsync(path, cancellationToken).ConfigureAwait(false) is > 0 and var late)
        {
            return Kept(late);
        }

        throw GitClient.Failure(args, result);

        WorktreeRemoval Kept(int count)
        {
            string message = $"worktree {id} kept: {count} uncommitted change{(count == 1 ? string.Empty : "s")} at {path}; commit or discard them, then remove it";
            logger.LogWarning("{Message}", message);
            return new WorktreeRemoval(id, WorktreeRemovalOutcome.KeptDirty, message);
        }
    }

    /// <summary>Deletes branch <c>af/&lt;id&gt;</c> unless it holds commits no other ref has (or changes are discarded).</summary>
    public async Task<WorktreeRemoval> DeleteBranchAsync(WorktreeRemoval removal, bool discardChanges, CancellationToken cancellationToken)
    {
        string branch = GitRefs.WorkBranch(removal.Id);
        string branchRef = GitRefs.LocalWorkBranch(removal.Id);
        if (!await git.RefExistsAsync(branchRef, cancellationToken).ConfigureAwait(false))
        {
            return removal;
        }

        if (!discardChanges)
        {
            // Commits reachable from this branch and from no other ref (branches, remote-tracking refs, tags, HEADs)
            // would be lost with it.
            string count = await git.RunCheckedAsync(
                ["rev-list", "--count", branchRef, "--not", $"--exclude={branchRef}", "--all"], cancellationToken).ConfigureAwait(false);
            bool counted = int.TryParse(count.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int unique);
            if (!counted || unique > 0)
            {
                return removal with
                {
                    Message = unique switch
                    {
                        _ when !counted => $"{removal.Message}; branch {branch} kept: its commits could not be counted",
                        1 => $"{removal.Message}; branch {branch} kept: 1 commit exists only there",
                        _ => $"{removal.Message}; branch {branch} kept: {unique} commits exist only there",
                    },
                };
            }
        }

        await git.RunCheckedAsync(["branch", "-D", "--", branch], cancellationToken).ConfigureAwait(false);
        return removal with { Message = $"{removal.Message}; branch {branch} deleted", BranchDeleted = true };
    }

    private async Task<int> CountChangesAsync(string path, CancellationToken cancellationToken)
    {
        string status = await git.ForDirectory(path)
            .RunCheckedAsync(["status", "--porcelain=v1", "--untracked-files=all", "--ignore-submodules=none"], cancellationToken)
            .ConfigureAwait(false);
        return new GitResult(0, status, string.Empty).OutputLines.Count;
    }
}
