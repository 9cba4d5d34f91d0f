using Aetherflow.Engine.Git;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Text;
using Aetherflow.Engine.Worktrees;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Scheduling;

/// <summary>
/// Moves reviewing tasks to done once their branch <c>af/&lt;id&gt;</c> has landed on <c>&lt;remote&gt;/&lt;base&gt;</c>, however it
/// was merged (merge, fast-forward, rebase, squash; see <see cref="LandingDetector"/>). A pass fetches the remote base
/// first and compares with the remote-tracking ref, never with a stale local base; a repository without the remote is
/// compared with its local base. A branch that is gone and was never seen landed is <b>not</b> done: the pass says so
/// and notes it once in the task's log, for a person. Passes never overlap. Not used in solo mode, where agents mark
/// their own tasks done.
/// </summary>
public sealed class ReviewReconciler
{
    private readonly ITaskSource tasks;
    private readonly GitClient git;
    private readonly WorktreeManager worktrees;
    private readonly ReviewReconcilerOptions options;
    private readonly ILogger logger;
    private readonly LandingDetector detector;
    private readonly SemaphoreSlim passGate = new(1, 1);

    // Tasks seen landed whose "done" has not gone through yet: if the branch is deleted meanwhile, they still land.
    private readonly Dictionary<string, string> landedNotDone = new(StringComparer.Ordinal);

    // Notes already put in a task's log during this engine's life (a missing branch, a branch without commits).
    private readonly HashSet<(string TaskId, string Note)> noted = [];
    private readonly ReviewUpstream upstreams;
    private HashSet<ReconcileDecision> previousPass = [];

    public ReviewReconciler(
        ITaskSource tasks, GitClient git, WorktreeManager worktrees, ReviewReconcilerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(worktrees);
        this.tasks = tasks;
        this.git = git;
        this.worktrees = worktrees;
        this.options = options ?? new ReviewReconcilerOptions();
        if (this.options.Interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "the reconcile interval must be positive");
        }

        // Validates both names once, here, so no pass can build a ref from a bad one.
        GitRefs.RemoteTracking(this.options.Remote, this.options.BaseBranch);
        this.logger = logger ?? NullLogger.Instance;
        detector = new LandingDetector(git, this.logger);
        upstreams = new ReviewUpstream(git, this.options, this.logger);
    }

    /// <summary>
    /// Runs a pass now and then every <see cref="ReviewReconcilerOptions.Interval"/> until cancelled. A failed pass is
    /// logged and the next one runs on time. <paramref name="onPass"/> receives each pass's decisions.
    /// </summary>
    public async Task RunAsync(Action<IReadOnlyList<ReconcileDecision>>? onPass, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Interval, options.TimeProvider);
        try
        {
            do
            {
                try
                {
                    IReadOnlyList<ReconcileDecision> decisions = await ReconcileOnceAsync(cancellationToken).ConfigureAwait(false);
                    onPass?.Invoke(decisions);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The loop must outlive any one pass; the error is logged with its cause and the next tick retries.
                    logger.LogError(ex, "Review reconcile pass failed; next pass in {Interval}", options.Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Review reconciler stopped");
        }
    }

    /// <summary>
    /// One pass: list reviewing tasks, fetch the remote base (only when there are any), mark the landed ones done.
    /// Returns one decision per task and any about the pass; tracker and git failures become decisions, not exceptions.
    /// </summary>
    public async Task<IReadOnlyList<ReconcileDecision>> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        await passGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var decisions = new List<ReconcileDecision>();
            IReadOnlyList<TrackerTask> reviewing;
            try
            {
                reviewing = await tasks.ListAsync(TrackerTaskState.Reviewing, cancellationToken).ConfigureAwait(false);
            }
            catch (TaskSourceException ex)
            {
                decisions.Add(new ReconcileDecision(null, ReconcileOutcome.Error, $"could not list reviewing tasks: {ex.Message}"));
                return Finish(decisions);
            }

            var ids = new List<string>();
            var invalid = new List<ReconcileDecision>();
            foreach (TrackerTask task in reviewing)
            {
                if (!GitRefs.IsWorkId(task.Id))
                {
                    string shown = TerminalText.Truncate(TerminalText.SanitizeLine(task.Id), 80);
                    invalid.Add(new ReconcileDecision(
                        null, ReconcileOutcome.InvalidTaskId, $"tracker listed '{shown}' as reviewing, which is not a valid task id; ignored"));
                }
                else if (!ids.Contains(task.Id, StringComparer.Ordinal))
                {
                    ids.Add(task.Id);
                }
            }

            // Nothing in review, nothing to fetch: an idle engine does not poll the remote.
            ReviewUpstream.Upstream? upstream = null;
            if (ids.Count > 0)
            {
                try
                {
                    upstream = await upstreams.ResolveAsync(decisions, cancellationToken).ConfigureAwait(false);
                }
                catch (GitException ex)
                {
                    decisions.Add(new ReconcileDecision(null, ReconcileOutcome.Error, $"reviews cannot be checked: {ex.Message}"));
                }
            }

            decisions.AddRange(invalid);
            if (upstream is not null)
            {
                foreach (string id in ids)
                {
                    decisions.Add(await ReconcileTaskAsync(id, upstream, cancellationToken).ConfigureAwait(false));
                }
            }

            var seen = ids.ToHashSet(StringComparer.Ordinal);

            // Forget tasks that left review some other way (a person marked them done, reopened them).
            landedNotDone.Keys.Where(id => !seen.Contains(id)).ToList().ForEach(id => landedNotDone.Remove(id));
            noted.RemoveWhere(n => !seen.Contains(n.TaskId));
            return Finish(decisions);
        }
        finally
        {
            passGate.Release();
        }
    }

    private async Task<ReconcileDecision> ReconcileTaskAsync(string id, ReviewUpstream.Upstream upstream, CancellationToken cancellationToken)
    {
        try
        {
            string localBranch = GitRefs.LocalWorkBranch(id);
            string remoteBranch = GitRefs.RemoteWorkBranch(options.Remote, id);
            var existing = new List<(string Ref, string Tip)>();
            foreach (string candidate in (string[])[localBranch, remoteBranch])
            {
                if (await git.ResolveCommitAsync(candidate, cancellationToken).ConfigureAwait(false) is { } tip)
                {
                    existing.Add((candidate, tip));
                }
            }

            if (existing.Count == 0)
            {
                return landedNotDone.TryGetValue(id, out string? how)
                    ? await MarkDoneAsync(id, upstream, how, cancellationToken).ConfigureAwait(false)
                    : await LeaveForPersonAsync(
                        id,
                        ReconcileOutcome.BranchMissing,
                        $"{id} is reviewing but branch {GitRefs.WorkBranch(id)} no longer exists and never landed; left for a person",
                        $"branch {GitRefs.WorkBranch(id)} no longer exists (locally or on {options.Remote}) and was never seen landed; aetherflow left this task in review for a person",
                        cancellationToken).ConfigureAwait(false);
            }

            // A branch still at the commit it was created from is an ancestor of the base like a fast-forwarded one,
            // but holds no work: it must not count as landed.
            string? start = await worktrees.StartCommitAsync(id, cancellationToken).ConfigureAwait(false);
            bool hasWork = false;

            // The local branch first (the agent's own); else the pushed one, which is what a person reviewed and merged.
            foreach (var (branch, tip) in existing)
            {
                if (tip == start)
                {
                    continue;
                }

                hasWork = true;
                LandingKind kind = await detector.CheckAsync(branch, upstream.Ref, cancellationToken).ConfigureAwait(false);
                if (kind != LandingKind.NotLanded)
                {
                    string how = LandingDetector.Describe(kind);
                    if (branch == remoteBranch)
                    {
                        how += $", branch {options.Remote}/{GitRefs.WorkBranch(id)}";
                    }

                    landedNotDone[id] = how;
                    return await MarkDoneAsync(id, upstream, how, cancellationToken).ConfigureAwait(false);
                }
            }

            return hasWork
                ? new ReconcileDecision(id, ReconcileOutcome.NotLanded, $"{id} has not landed on {upstream.Name} yet")
                : await LeaveForPersonAsync(
                    id,
                    ReconcileOutcome.NoCommits,
                    $"{id} is reviewing but branch {GitRefs.WorkBranch(id)} has no commits of its own; left for a person",
                    $"branch {GitRefs.WorkBranch(id)} has no commits of its own (uncommitted work stays in its worktree); aetherflow left this task in review for a person",
                    cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GitException or TaskSourceException or WorktreeException)
        {
            return new ReconcileDecision(id, ReconcileOutcome.Error, $"{id}: {ex.Message}; trying again next pass");
        }
    }

    private async Task<ReconcileDecision> MarkDoneAsync(string id, ReviewUpstream.Upstream upstream, string how, CancellationToken cancellationToken)
    {
        await tasks.MarkDoneAsync(id, cancellationToken).ConfigureAwait(false);
        landedNotDone.Remove(id);
        string note = $"landed on {upstream.Name} ({how}); marked done by aetherflow";
        string message = $"{id} landed on {upstream.Name} ({how}); marked done";
        logger.LogInformation("{TaskId} landed on {Upstream} ({How}); marked done", id, upstream.Name, how);

        // The task is done now; what follows is housekeeping, and its failure must not undo or repeat the done.
        try
        {
            await tasks.AppendLogAsync(id, note, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskSourceException ex)
        {
            logger.LogWarning("Could not add the landing note to {TaskId}'s log: {Error}", id, ex.Message);
            message += $"; log note failed: {ex.Message}";
        }

        try
        {
            WorktreeRemoval removal = await worktrees.RemoveAsync(id, WorktreeRemoveOptions.Default, cancellationToken).ConfigureAwait(false);
            message += removal.Outcome switch
            {
                WorktreeRemovalOutcome.Removed or WorktreeRemovalOutcome.PrunedStale => "; worktree removed",
                WorktreeRemovalOutcome.NotFound => string.Empty,
                _ => "; " + removal.Message,
            };
        }
        catch (GitException ex)
        {
            logger.LogWarning("Could not remove the worktree of {TaskId}: {Error}", id, ex.Message);
            message += $"; worktree not removed: {ex.Message}";
        }

        return new ReconcileDecision(id, ReconcileOutcome.Landed, message);
    }

    private async Task<ReconcileDecision> LeaveForPersonAsync(
        string id, ReconcileOutcome outcome, string message, string note, CancellationToken cancellationToken)
    {
        if (!noted.Contains((id, note)))
        {
            // Once per task, also across engine restarts: the log already holding the note counts.
            TrackerTaskDetail detail = await tasks.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (!detail.Logs.Any(l => l.Message == note))
            {
                await tasks.AppendLogAsync(id, note, cancellationToken).ConfigureAwait(false);
            }

            noted.Add((id, note));
            logger.LogWarning("{Message}", message);
        }

        return new ReconcileDecision(id, outcome, message);
    }

    private List<ReconcileDecision> Finish(List<ReconcileDecision> decisions)
    {
        List<ReconcileDecision> marked = decisions.Select(d => d with { Repeated = previousPass.Contains(d with { Repeated = false }) }).ToList();
        previousPass = decisions.Select(d => d with { Repeated = false }).ToHashSet();
        foreach (ReconcileDecision decision in marked.Where(d => !d.Repeated && d.Outcome is ReconcileOutcome.FetchFailed or ReconcileOutcome.Error or ReconcileOutcome.InvalidTaskId))
        {
            logger.LogWarning("{Message}", decision.Message);
        }

        return marked;
    }

}
