using Aetherflow.Engine.Git;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Worktrees;

/// <summary>
/// Owns the agents' git worktrees: <c>&lt;project&gt;/.aetherflow/worktrees/&lt;id&gt;</c> on branch <c>af/&lt;id&gt;</c>, one per
/// work id (task or spawn). Paths and refs are built only from validated ids and always stay under the worktrees
/// folder. Calls are serialised, so the pool and the reconciler can share one manager. See
/// <c>docs/worktrees-and-landing.md</c>.
/// </summary>
public sealed class WorktreeManager
{
    /// <summary>The worktrees folder, relative to the project.</summary>
    public const string RelativeWorktreesDirectory = ".aetherflow/worktrees";

    /// <summary>
    /// Patterns added to the repository's <c>info/exclude</c> (shared by all its worktrees) so agents never commit
    /// engine files or the files opencode generates for its plugins.
    /// </summary>
    public static IReadOnlyList<string> ExcludedPatterns => EngineFileExcludes.Patterns;

    private readonly GitClient git;
    private readonly WorktreeOptions options;
    private readonly ILogger logger;
    private readonly WorktreeCleanup cleanup;
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool excludesChecked;

    /// <summary>Creates a manager for the repository <paramref name="git"/> runs in (the project folder).</summary>
    public WorktreeManager(GitClient git, WorktreeOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(git);
        this.git = git;
        this.options = options ?? new WorktreeOptions();
        GitRefs.LocalBranch(this.options.BaseBranch);
        GitRefs.RemoteTracking(this.options.Remote, this.options.BaseBranch);
        this.logger = logger ?? git.Options.Logger;
        cleanup = new WorktreeCleanup(git, this.logger);
        ProjectDirectory = git.WorkingDirectory;
        WorktreesDirectory = Path.Combine(ProjectDirectory, ".aetherflow", "worktrees");
    }

    /// <summary>The project folder (the repository the worktrees belong to).</summary>
    public string ProjectDirectory { get; }

    /// <summary><c>&lt;project&gt;/.aetherflow/worktrees</c>.</summary>
    public string WorktreesDirectory { get; }

    /// <summary>The worktree folder of work id <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid work id.</exception>
    public string PathFor(string id)
    {
        string path = Path.GetFullPath(Path.Combine(WorktreesDirectory, GitRefs.RequireWorkId(id)));

        // The id rules already forbid separators and "..": this is the second lock on the same door.
        if (!string.Equals(Path.GetDirectoryName(path), WorktreesDirectory, StringComparison.Ordinal))
        {
            throw new ArgumentException($"worktree path for '{id}' would leave {WorktreesDirectory}", nameof(id));
        }

        return path;
    }

    /// <summary>
    /// Returns the worktree for <paramref name="id"/>, creating it when needed:
    /// an existing worktree at its path is reused as is; a stale registration (folder deleted) is pruned and the
    /// worktree recreated; an existing branch <c>af/&lt;id&gt;</c> is checked out unchanged (local, else the remote's);
    /// otherwise a new branch starts from <c>&lt;remote&gt;/&lt;base&gt;</c>, or the local base when the remote's does not exist.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid work id.</exception>
    /// <exception cref="WorktreeException">Something is in the way (the branch is checked out elsewhere, a foreign folder, no base branch).</exception>
    /// <exception cref="GitException">git failed.</exception>
    public async Task<Worktree> EnsureAsync(string id, CancellationToken cancellationToken)
    {
        string path = PathFor(id);
        string branch = GitRefs.WorkBranch(id);
        string branchRef = GitRefs.LocalWorkBranch(id);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!excludesChecked)
            {
                await EnsureEngineFilesExcludedCoreAsync(cancellationToken).ConfigureAwait(false);
            }

            IReadOnlyList<WorktreeRegistration> registrations = await ListRegistrationsAsync(cancellationToken).ConfigureAwait(false);
            bool pruned = false;
            if (registrations.FirstOrDefault(r => RealPath.Same(r.Path, path)) is { } atPath)
            {
                if (IsLiveWorktree(path))
                {
                    if (atPath.BranchRef != branchRef)
                    {
                        logger.LogWarning("Worktree {Path} is on {Branch}, not {Expected}; reusing it as is", path, atPath.BranchRef ?? "a detached HEAD", branch);
                    }

                    return ToWorktree(id, path, atPath, WorktreeSetup.Reused);
                }

                logger.LogInformation("Worktree {Path} is registered but its folder is gone; pruning the stale registration", path);
                pruned = await PruneAsync(cancellationToken).ConfigureAwait(false);
            }

            if (registrations.FirstOrDefault(r => r.BranchRef == branchRef && !RealPath.Same(r.Path, path)) is { } elsewhere)
            {
                if (Directory.Exists(elsewhere.Path))
                {
                    throw new WorktreeException(
                        $"branch {branch} is checked out at {elsewhere.Path}; switch that checkout to another branch or remove it (git worktree remove), then retry");
                }

                pruned |= await PruneAsync(cancellationToken).ConfigureAwait(false);
            }

            if (pruned)
            {
                registrations = await ListRegistrationsAsync(cancellationToken).ConfigureAwait(false);
                if (registrations.FirstOrDefault(r => RealPath.Same(r.Path, path) || r.BranchRef == branchRef) is { } stuck)
                {
                    throw new WorktreeException(
                        $"worktree {stuck.Path} (branch {branch}) is gone but its registration is locked; run git worktree unlock {stuck.Path}, then retry");
                }
            }

            if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            {
                throw new WorktreeException($"{path} exists but is not a git worktree of {ProjectDirectory}; move it away or delete it, then retry");
            }

            return await CreateAsync(id, path, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The worktree of <paramref name="id"/> when one is registered and its folder exists; otherwise null.</summary>
    /// <exception cref="GitException">git failed.</exception>
    public async Task<Worktree?> FindAsync(string id, CancellationToken cancellationToken)
    {
        string path = PathFor(id);
        IReadOnlyList<WorktreeRegistration> registrations = await ListRegistrationsAsync(cancellationToken).ConfigureAwait(false);
        return registrations.FirstOrDefault(r => RealPath.Same(r.Path, path)) is { } entry && IsLiveWorktree(path)
            ? ToWorktree(id, path, entry, WorktreeSetup.Reused)
            : null;
    }

    /// <summary>
    /// Removes the worktree of <paramref name="id"/>. Safe by default: a worktree with uncommitted changes or untracked
    /// files (ignored files such as build output do not count) or a locked one is kept untouched and the result says
    /// so; the branch stays unless <see cref="WorktreeRemoveOptions.DeleteBranch"/> asks, and even then only when its
    /// commits are reachable from another ref. Committed work is therefore never lost.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid work id.</exception>
    /// <exception cref="GitException">git failed.</exception>
    public async Task<WorktreeRemoval> RemoveAsync(string id, WorktreeRemoveOptions? removeOptions, CancellationToken cancellationToken)
    {
        string path = PathFor(id);
        removeOptions ??= WorktreeRemoveOptions.Default;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<WorktreeRegistration> registrations = await ListRegistrationsAsync(cancellationToken).ConfigureAwait(false);
            WorktreeRemoval removal;
            if (registrations.FirstOrDefault(r => RealPath.Same(r.Path, path)) is not { } entry)
            {
                removal = new WorktreeRemoval(id, WorktreeRemovalOutcome.NotFound, $"worktree {id}: none to remove");
            }
            else if (!IsLiveWorktree(path))
            {
                await PruneAsync(cancellationToken).ConfigureAwait(false);
                removal = new WorktreeRemoval(id, WorktreeRemovalOutcome.PrunedStale, $"worktree {id}: folder was already gone; pruned its registration");
            }
            else if (entry.Locked)
            {
                return new WorktreeRemoval(id, WorktreeRemovalOutcome.KeptLocked, $"worktree {id} kept: it is locked (git worktree unlock {path} to allow removing it)");
            }
            else if (await cleanup.RemoveLiveAsync(id, path, removeOptions.DiscardChanges, cancellationToken).ConfigureAwait(false) is { } kept)
            {
                return kept;
            }
            else
            {
                removal = new WorktreeRemoval(id, WorktreeRemovalOutcome.Removed, $"worktree {id} removed");
            }

            if (removeOptions.DeleteBranch)
            {
                removal = await cleanup.DeleteBranchAsync(removal, removeOptions.DiscardChanges, cancellationToken).ConfigureAwait(false);
            }

            logger.LogInformation("{Message}", removal.Message);
            return removal;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Adds <see cref="ExcludedPatterns"/> to the repository's <c>info/exclude</c> (shared by every worktree) when they
    /// are missing; idempotent. The engine calls this at startup; <see cref="EnsureAsync"/> also does, once.
    /// </summary>
    /// <returns>True when the file was changed.</returns>
    /// <exception cref="GitException">git failed (e.g. the project is not a git repository).</exception>
    public async Task<bool> EnsureEngineFilesExcludedAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await EnsureEngineFilesExcludedCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The commit branch <c>af/&lt;id&gt;</c> was created from by <see cref="EnsureAsync"/>, or null when the branch was not
    /// created here. A branch still at that commit has no work of its own.
    /// </summary>
    /// <exception cref="GitException">git failed.</exception>
    public async Task<string?> StartCommitAsync(string id, CancellationToken cancellationToken)
    {
        string[] args = ["config", "--get", "--", StartConfigKey(id)];
        GitResult result = await git.RunAsync(args, cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => result.StandardOutput.Trim(),
            1 => null,
            _ => throw GitClient.Failure(args, result),
        };
    }

    private static string StartConfigKey(string id) => $"branch.{GitRefs.WorkBranch(id)}.aetherflow-start";

    private static bool IsLiveWorktree(string path) => Path.Exists(Path.Combine(path, ".git"));

    private async Task<bool> EnsureEngineFilesExcludedCoreAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> added = await EngineFileExcludes.EnsureAsync(git, cancellationToken).ConfigureAwait(false);
        excludesChecked = true;
        if (added.Count > 0)
        {
            logger.LogInformation("Added {Patterns} to the repository's info/exclude", string.Join(", ", added));
        }

        return added.Count > 0;
    }

    private async Task<Worktree> CreateAsync(string id, string path, CancellationToken cancellationToken)
    {
        string branch = GitRefs.WorkBranch(id);
        var checkout = new GitCallOptions { Timeout = options.CheckoutTimeout };
        WorktreeSetup setup;
        string? startPoint = null;
        if (await git.RefExistsAsync(GitRefs.LocalWorkBranch(id), cancellationToken).ConfigureAwait(false))
        {
            // An existing branch holds earlier work: check it out exactly as it is, never reset it.
            await git.RunCheckedAsync(["worktree", "add", "--", path, branch], checkout, cancellationToken).ConfigureAwait(false);
            setup = WorktreeSetup.CheckedOutBranch;
        }
        else if (await git.RefExistsAsync(GitRefs.RemoteWorkBranch(options.Remote, id), cancellationToken).ConfigureAwait(false))
        {
            startPoint = GitRefs.RemoteWorkBranch(options.Remote, id);
            await git.RunCheckedAsync(["worktree", "add", "--track", "-b", branch, "--", path, startPoint], checkout, cancellationToken).ConfigureAwait(false);
            setup = WorktreeSetup.CreatedFromRemoteBranch;
        }
        else
        {
            startPoint = await BaseStartPointAsync(cancellationToken).ConfigureAwait(false);
            string startCommit = await git.ResolveCommitAsync(startPoint, cancellationToken).ConfigureAwait(false)
                ?? throw new WorktreeException($"{startPoint} disappeared while creating worktree {id}; retry");

            // --no-track: the new branch must not track the base, or a plain "git push" under push.default=upstream
            // would push the agent's work straight onto the base branch.
            await git.RunCheckedAsync(["worktree", "add", "--no-track", "-b", branch, "--", path, startCommit], checkout, cancellationToken).ConfigureAwait(false);

            // Remembered so a branch that never got a commit of its own is not mistaken for a fast-forward merge: both
            // are ancestors of the base. Kept in the branch's config section, which git deletes and renames with it.
            await git.RunCheckedAsync(["config", "--", StartConfigKey(id), startCommit], cancellationToken).ConfigureAwait(false);
            setup = WorktreeSetup.CreatedFromBase;
        }

        IReadOnlyList<WorktreeRegistration> registrations = await ListRegistrationsAsync(cancellationToken).ConfigureAwait(false);
        WorktreeRegistration entry = registrations.FirstOrDefault(r => RealPath.Same(r.Path, path))
            ?? throw new WorktreeException($"git worktree add reported success but {path} is not registered; check git worktree list");
        logger.LogInformation("Worktree {Path} on {Branch} ({Setup}{From})", path, branch, setup, startPoint is null ? string.Empty : " from " + startPoint);
        return ToWorktree(id, path, entry, setup) with { StartPoint = startPoint };
    }

    private async Task<string> BaseStartPointAsync(CancellationToken cancellationToken)
    {
        string remoteBase = GitRefs.RemoteTracking(options.Remote, options.BaseBranch);
        string localBase = GitRefs.LocalBranch(options.BaseBranch);
        string[] candidates = options.PreferLocalBase ? [localBase, remoteBase] : [remoteBase, localBase];
        foreach (string candidate in candidates)
        {
            if (await git.RefExistsAsync(candidate, cancellationToken).ConfigureAwait(false))
            {
                return candidate;
            }
        }

        throw new WorktreeException(
            $"neither {options.Remote}/{options.BaseBranch} nor {options.BaseBranch} exists in {ProjectDirectory}; set base_branch to the branch agents should start from");
    }

    private async Task<bool> PruneAsync(CancellationToken cancellationToken)
    {
        await git.RunCheckedAsync(["worktree", "prune"], cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<IReadOnlyList<WorktreeRegistration>> ListRegistrationsAsync(CancellationToken cancellationToken)
    {
        string output = await git.RunCheckedAsync(["worktree", "list", "--porcelain"], cancellationToken).ConfigureAwait(false);
        return WorktreeRegistration.Parse(output);
    }

    private static Worktree ToWorktree(string id, string path, WorktreeRegistration entry, WorktreeSetup setup)
    {
        const string heads = "refs/heads/";
        string? branch = entry.BranchRef is { } r && r.StartsWith(heads, StringComparison.Ordinal) ? r[heads.Length..] : entry.BranchRef;
        return new Worktree(id, path, branch, entry.Head ?? string.Empty, setup);
    }
}
