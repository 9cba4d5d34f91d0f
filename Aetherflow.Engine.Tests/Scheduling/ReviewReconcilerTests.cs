using System.Threading.Channels;
using Aetherflow.Engine.Git;
using Aetherflow.Engine.Scheduling;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tests.Support;
using Aetherflow.Engine.Worktrees;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Scheduling;

/// <summary>
/// The reconciler against real git: a project repository whose agent pushes af/&lt;id&gt; to a bare origin, and a
/// reviewer's clone that merges on "the forge" the way people do. The project's local main is never updated, as in
/// real use, so only a comparison with the fetched origin/main can see the landings.
/// </summary>
public sealed class ReviewReconcilerTests
{
    private const string Numbers = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n";

    private GitSandbox sandbox = null!;
    private FakeTaskSource tracker = null!;
    private WorktreeManager worktrees = null!;

    [SetUp]
    public void SetUp() => tracker = new FakeTaskSource();

    [TearDown]
    public void TearDown() => sandbox.Dispose();

    [Test]
    public async Task A_merge_commit_on_origin_lands_the_task_although_local_main_is_stale()
    {
        await StartAsync();
        string localMain = await sandbox.RunAsync(sandbox.RepoPath, "rev-parse", "main");
        Worktree worktree = await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await ReviewerAsync("merge", "--quiet", "--no-ff", "-m", "Merge pull request #1 from af/ts-1", "origin/af/ts-1");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(decisions, Is.EqualTo(new[]
            {
                new ReconcileDecision("ts-1", ReconcileOutcome.Landed, "ts-1 landed on origin/main (merge or fast-forward); marked done; worktree removed"),
            }));
            Assert.That(tracker.StateOf("ts-1"), Is.EqualTo(TrackerTaskState.Done));
            Assert.That(tracker.LogOf("ts-1"), Is.EqualTo(new[] { "landed on origin/main (merge or fast-forward); marked done by aetherflow" }));
            Assert.That(Directory.Exists(worktree.Path), Is.False);
            Assert.That(await sandbox.RunAsync(sandbox.RepoPath, "rev-parse", "main"), Is.EqualTo(localMain));
        });
    }

    [Test]
    public async Task A_fast_forward_lands_the_task()
    {
        await StartAsync();
        await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await ReviewerAsync("merge", "--quiet", "--ff-only", "origin/af/ts-1");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Single().Outcome, Is.EqualTo(ReconcileOutcome.Landed));
            Assert.That(tracker.StateOf("ts-1"), Is.EqualTo(TrackerTaskState.Done));
        });
    }

    [Test]
    public async Task A_squash_merge_lands_the_task()
    {
        await StartAsync();
        await ReviewerCommitsAsync("numbers.txt", Numbers, "Numbers");
        await AgentPushesAsync("ts-1", ("numbers.txt", Numbers.Replace("10\n", "ten\n")), ("numbers.txt", Numbers.Replace("10\n", "ten\n").Replace("15\n", "fifteen\n")));
        await ReviewerCommitsAsync("numbers.txt", Numbers.Replace("8\n", "eight\n"), "Someone else's change next to it");
        await ReviewerAsync("merge", "--quiet", "--squash", "origin/af/ts-1");
        await ReviewerAsync("commit", "--quiet", "-m", "Feature (#1)");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Single().Message, Is.EqualTo("ts-1 landed on origin/main (squash merge); marked done; worktree removed"));
            Assert.That(tracker.LogOf("ts-1"), Is.EqualTo(new[] { "landed on origin/main (squash merge); marked done by aetherflow" }));
        });
    }

    [Test]
    public async Task A_rebase_merge_lands_the_task()
    {
        await StartAsync();
        await AgentPushesAsync("ts-1", ("one.txt", "1\n"), ("two.txt", "2\n"));
        await ReviewerCommitsAsync("other.txt", "other\n", "Main moves on");
        await ReviewerAsync("cherry-pick", "main..origin/af/ts-1");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.That(decisions.Single().Message, Is.EqualTo("ts-1 landed on origin/main (rebase merge); marked done; worktree removed"));
    }

    [Test]
    public async Task An_unmerged_branch_is_left_in_review_and_the_repeat_is_marked()
    {
        await StartAsync();
        Worktree worktree = await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await ReviewerCommitsAsync("other.txt", "other\n", "Main moves on");
        ReviewReconciler reconciler = Reconciler();

        IReadOnlyList<ReconcileDecision> first = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        IReadOnlyList<ReconcileDecision> second = await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Single(), Is.EqualTo(new ReconcileDecision("ts-1", ReconcileOutcome.NotLanded, "ts-1 has not landed on origin/main yet")));
            Assert.That(first.Single().Repeated, Is.False);
            Assert.That(second.Single().Repeated, Is.True);
            Assert.That(tracker.StateOf("ts-1"), Is.EqualTo(TrackerTaskState.Reviewing));
            Assert.That(tracker.CallCount("done ts-1"), Is.Zero);
            Assert.That(Directory.Exists(worktree.Path), Is.True);
        });
    }

    [Test]
    public async Task A_branch_deleted_without_landing_is_not_done_and_noted_once_for_a_person()
    {
        await StartAsync();
        await worktrees.EnsureAsync("ts-1", CancellationToken.None);
        await sandbox.CommitAsync(worktrees.PathFor("ts-1"), "lost.txt", "never pushed\n", "Work");
        await worktrees.RemoveAsync("ts-1", null, CancellationToken.None);
        await sandbox.RunAsync(sandbox.RepoPath, "branch", "-D", "af/ts-1");
        ReviewReconciler reconciler = Reconciler();

        IReadOnlyList<ReconcileDecision> first = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        IReadOnlyList<ReconcileDecision> second = await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Single(), Is.EqualTo(new ReconcileDecision(
                "ts-1", ReconcileOutcome.BranchMissing, "ts-1 is reviewing but branch af/ts-1 no longer exists and never landed; left for a person")));
            Assert.That(second.Single().Repeated, Is.True);
            Assert.That(tracker.StateOf("ts-1"), Is.EqualTo(TrackerTaskState.Reviewing));
            Assert.That(tracker.CallCount("done ts-1"), Is.Zero);
            Assert.That(tracker.LogOf("ts-1"), Is.EqualTo(new[]
            {
                "branch af/ts-1 no longer exists (locally or on origin) and was never seen landed; aetherflow left this task in review for a person",
            }));
        });
    }

    [Test]
    public async Task The_missing_branch_note_is_not_repeated_by_a_restarted_engine()
    {
        await StartAsync();

        await Reconciler().ReconcileOnceAsync(CancellationToken.None);
        await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.That(tracker.LogOf("ts-1"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_branch_without_commits_of_its_own_is_not_mistaken_for_a_fast_forward()
    {
        await StartAsync();
        Worktree worktree = await worktrees.EnsureAsync("ts-1", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, "forgotten.txt"), "the agent never committed this");
        ReviewReconciler reconciler = Reconciler();

        IReadOnlyList<ReconcileDecision> first = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Single(), Is.EqualTo(new ReconcileDecision(
                "ts-1", ReconcileOutcome.NoCommits, "ts-1 is reviewing but branch af/ts-1 has no commits of its own; left for a person")));
            Assert.That(tracker.StateOf("ts-1"), Is.EqualTo(TrackerTaskState.Reviewing));
            Assert.That(tracker.LogOf("ts-1"), Has.Count.EqualTo(1));
            Assert.That(File.Exists(Path.Combine(worktree.Path, "forgotten.txt")), Is.True);
        });
    }

    [Test]
    public async Task A_branch_deleted_locally_and_on_the_forge_after_merging_is_checked_through_its_remote_tracking_ref()
    {
        await StartAsync();
        await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"), ("more.txt", "more\n"));
        await worktrees.RemoveAsync("ts-1", new WorktreeRemoveOptions { DeleteBranch = true }, CancellationToken.None);
        await ReviewerCommitsAsync("other.txt", "other\n", "Main moves on");
        await ReviewerAsync("merge", "--quiet", "--squash", "origin/af/ts-1");
        await ReviewerAsync("commit", "--quiet", "-m", "Feature (#1)");
        await ReviewerAsync("push", "--quiet", "origin", "--delete", "af/ts-1");
        await sandbox.RunAsync(sandbox.RepoPath, "config", "fetch.prune", "true");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await sandbox.Repo.RefExistsAsync("refs/heads/af/ts-1", CancellationToken.None), Is.False);
            Assert.That(decisions.Single().Message, Is.EqualTo("ts-1 landed on origin/main (squash merge, branch origin/af/ts-1); marked done"));
            Assert.That(tracker.StateOf("ts-1"), Is.EqualTo(TrackerTaskState.Done));
        });
    }

    [Test]
    public async Task A_branch_pushed_from_another_clone_is_fetched_and_checked()
    {
        await StartAsync();
        await ReviewerAsync("checkout", "--quiet", "-b", "af/ts-1");
        await sandbox.CommitAsync(sandbox.ReviewerPath, "elsewhere.txt", "x\n", "Work done in another clone");
        await ReviewerAsync("push", "--quiet", "origin", "af/ts-1");
        await ReviewerAsync("checkout", "--quiet", "main");
        await ReviewerAsync("merge", "--quiet", "--no-ff", "-m", "Merge pull request #1", "af/ts-1");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.That(decisions.Single().Message, Is.EqualTo("ts-1 landed on origin/main (merge or fast-forward, branch origin/af/ts-1); marked done"));
    }

    [Test]
    public async Task A_repository_without_a_remote_compares_with_the_local_base_and_says_so_once()
    {
        await StartAsync(withOrigin: false);
        tracker.Add("ts-2");
        Worktree worktree = await worktrees.EnsureAsync("ts-1", CancellationToken.None);
        await sandbox.CommitAsync(worktree.Path, "feature.txt", "feature\n", "Feature");
        await worktrees.EnsureAsync("ts-2", CancellationToken.None);
        await sandbox.RunAsync(sandbox.RepoPath, "merge", "--quiet", "--no-ff", "-m", "Merge af/ts-1", "af/ts-1");
        ReviewReconciler reconciler = Reconciler();

        IReadOnlyList<ReconcileDecision> first = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        IReadOnlyList<ReconcileDecision> second = await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(d => d.Outcome), Is.EqualTo(new[] { ReconcileOutcome.NoRemote, ReconcileOutcome.Landed, ReconcileOutcome.NoCommits }));
            Assert.That(first[0].Message, Is.EqualTo("no remote 'origin' in this repository: reviews are compared with the local main"));
            Assert.That(first[1].Message, Is.EqualTo("ts-1 landed on main (merge or fast-forward); marked done; worktree removed"));
            Assert.That(second.Select(d => (d.TaskId, d.Outcome, d.Repeated)), Is.EqualTo(new[] { ((string?)"ts-2", ReconcileOutcome.NoCommits, true) }));
        });
    }

    [Test]
    public async Task A_fetch_failure_is_a_warning_and_the_last_fetched_base_is_used()
    {
        await StartAsync();
        await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await ReviewerAsync("merge", "--quiet", "--no-ff", "-m", "Merge pull request #1", "origin/af/ts-1");
        await sandbox.RunAsync(sandbox.RepoPath, "fetch", "--quiet", "origin");
        await sandbox.RunAsync(sandbox.RepoPath, "remote", "set-url", "origin", Path.Combine(sandbox.Root, "gone.git"));

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(d => d.Outcome), Is.EqualTo(new[] { ReconcileOutcome.FetchFailed, ReconcileOutcome.Landed }));
            Assert.That(decisions[0].Message, Does.Match(@"^could not fetch origin/main \(fatal: .*gone\.git.*\); comparing with the last fetched origin/main$"));
            Assert.That(tracker.StateOf("ts-1"), Is.EqualTo(TrackerTaskState.Done));
        });
    }

    [Test]
    public async Task An_idle_pass_does_not_touch_the_remote()
    {
        await StartAsync();
        tracker = new FakeTaskSource();
        await sandbox.RunAsync(sandbox.RepoPath, "remote", "set-url", "origin", Path.Combine(sandbox.Root, "gone.git"));

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.That(decisions, Is.Empty);
    }

    [Test]
    public async Task Invalid_ids_from_the_tracker_never_reach_git_or_the_tracker()
    {
        await StartAsync();
        tracker.Add("--exec=evil");
        tracker.Add("../escape");
        tracker.Add("x.lock");
        tracker.Add("\u001b[31mred");
        await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await ReviewerAsync("merge", "--quiet", "--ff-only", "origin/af/ts-1");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Where(d => d.Outcome == ReconcileOutcome.InvalidTaskId).Select(d => d.Message), Is.EqualTo(new[]
            {
                "tracker listed '--exec=evil' as reviewing, which is not a valid task id; ignored",
                "tracker listed '../escape' as reviewing, which is not a valid task id; ignored",
                "tracker listed 'x.lock' as reviewing, which is not a valid task id; ignored",
                "tracker listed 'red' as reviewing, which is not a valid task id; ignored",
            }));
            Assert.That(decisions.Where(d => d.Outcome == ReconcileOutcome.InvalidTaskId).Select(d => d.TaskId), Is.All.Null);
            Assert.That(tracker.Calls, Is.EqualTo(new[] { "list Reviewing", "done ts-1", "log ts-1" }));
        });
    }

    [Test]
    public async Task A_landed_task_is_marked_done_exactly_once()
    {
        await StartAsync();
        tracker.Add("ts-1");
        await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await ReviewerAsync("merge", "--quiet", "--ff-only", "origin/af/ts-1");
        ReviewReconciler reconciler = Reconciler();

        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        IReadOnlyList<ReconcileDecision> second = await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(tracker.CallCount("done ts-1"), Is.EqualTo(1));
            Assert.That(tracker.CallCount("log ts-1"), Is.EqualTo(1));
            Assert.That(second, Is.Empty);
        });
    }

    [Test]
    public async Task Concurrent_passes_do_not_overlap_or_mark_done_twice()
    {
        await StartAsync();
        await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await ReviewerAsync("merge", "--quiet", "--ff-only", "origin/af/ts-1");
        ReviewReconciler reconciler = Reconciler();

        await Task.WhenAll(reconciler.ReconcileOnceAsync(CancellationToken.None), reconciler.ReconcileOnceAsync(CancellationToken.None));

        Assert.That(tracker.CallCount("done ts-1"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_landing_whose_done_failed_is_still_done_after_the_branch_is_deleted()
    {
        await StartAsync();
        await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await ReviewerAsync("merge", "--quiet", "--ff-only", "origin/af/ts-1");
        tracker.FailNextMarkDone = new TaskSourceException("prog done ts-1 failed: database is locked");
        ReviewReconciler reconciler = Reconciler();

        IReadOnlyList<ReconcileDecision> first = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        await worktrees.RemoveAsync("ts-1", new WorktreeRemoveOptions { DeleteBranch = true }, CancellationToken.None);
        await ReviewerAsync("push", "--quiet", "origin", "--delete", "af/ts-1");
        await sandbox.RunAsync(sandbox.RepoPath, "update-ref", "-d", "refs/remotes/origin/af/ts-1");
        IReadOnlyList<ReconcileDecision> second = await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Single().Outcome, Is.EqualTo(ReconcileOutcome.Error));
            Assert.That(first.Single().Message, Is.EqualTo("ts-1: prog done ts-1 failed: database is locked; trying again next pass"));
            Assert.That(second.Single().Message, Is.EqualTo("ts-1 landed on origin/main (merge or fast-forward); marked done"));
            Assert.That(tracker.StateOf("ts-1"), Is.EqualTo(TrackerTaskState.Done));
        });
    }

    [Test]
    public async Task A_landed_task_with_uncommitted_changes_keeps_its_worktree()
    {
        await StartAsync();
        Worktree worktree = await AgentPushesAsync("ts-1", ("feature.txt", "feature\n"));
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, "notes.txt"), "a person's notes");
        await ReviewerAsync("merge", "--quiet", "--ff-only", "origin/af/ts-1");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Single().Message, Does.StartWith("ts-1 landed on origin/main (merge or fast-forward); marked done; worktree ts-1 kept: 1 uncommitted change at "));
            Assert.That(File.ReadAllText(Path.Combine(worktree.Path, "notes.txt")), Is.EqualTo("a person's notes"));
        });
    }

    [Test]
    public async Task A_configured_remote_and_base_are_used()
    {
        await StartAsync();
        await sandbox.RunAsync(sandbox.RepoPath, "remote", "rename", "origin", "upstream");
        await ReviewerAsync("checkout", "--quiet", "-b", "develop");
        await ReviewerAsync("push", "--quiet", "origin", "develop");
        worktrees = new WorktreeManager(sandbox.Repo, new WorktreeOptions { Remote = "upstream", BaseBranch = "develop" });
        await sandbox.RunAsync(sandbox.RepoPath, "fetch", "--quiet", "upstream");
        Worktree worktree = await worktrees.EnsureAsync("ts-1", CancellationToken.None);
        await sandbox.CommitAsync(worktree.Path, "feature.txt", "feature\n", "Feature");
        await sandbox.RunAsync(worktree.Path, "push", "--quiet", "upstream", "af/ts-1");
        await ReviewerAsync("fetch", "--quiet", "origin");
        await ReviewerAsync("merge", "--quiet", "--no-ff", "-m", "Merge", "origin/af/ts-1");
        await ReviewerAsync("push", "--quiet", "origin", "develop");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler(new ReviewReconcilerOptions { Remote = "upstream", BaseBranch = "develop" })
            .ReconcileOnceAsync(CancellationToken.None);

        Assert.That(decisions.Single().Message, Does.StartWith("ts-1 landed on upstream/develop (merge or fast-forward); marked done"));
    }

    [Test]
    public async Task A_tracker_failure_is_a_decision_not_a_crash()
    {
        await StartAsync();
        tracker.FailNextList = new TaskSourceException("prog list failed: prog not found; install prog or set prog_bin");

        IReadOnlyList<ReconcileDecision> decisions = await Reconciler().ReconcileOnceAsync(CancellationToken.None);

        Assert.That(decisions.Single(), Is.EqualTo(new ReconcileDecision(
            null, ReconcileOutcome.Error, "could not list reviewing tasks: prog list failed: prog not found; install prog or set prog_bin")));
    }

    [Test]
    public async Task The_loop_runs_a_pass_now_and_every_interval_and_survives_a_failed_pass()
    {
        await StartAsync();
        var clock = new FakeTimeProvider();
        var passes = Channel.CreateUnbounded<IReadOnlyList<ReconcileDecision>>();
        ReviewReconciler reconciler = Reconciler(new ReviewReconcilerOptions { Interval = TimeSpan.FromSeconds(30), TimeProvider = clock });
        using var stop = new CancellationTokenSource();

        Task loop = reconciler.RunAsync(d => passes.Writer.TryWrite(d), stop.Token);
        IReadOnlyList<ReconcileDecision> first = await Eventually.WithinAsync(passes.Reader.ReadAsync().AsTask(), "the first pass");
        tracker.FailNextList = new InvalidOperationException("a bug in a pass");
        clock.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => tracker.CallCount("list Reviewing") == 2, "the failing second pass");
        Assert.That(passes.Reader.TryRead(out _), Is.False, "a failed pass reports no decisions");
        clock.Advance(TimeSpan.FromSeconds(30));
        IReadOnlyList<ReconcileDecision> third = await Eventually.WithinAsync(passes.Reader.ReadAsync().AsTask(), "the third pass");
        await stop.CancelAsync();
        await Eventually.WithinAsync(loop.ContinueWith(_ => true, TaskScheduler.Default), "the loop to stop");

        Assert.Multiple(() =>
        {
            Assert.That(first.Single().Outcome, Is.EqualTo(ReconcileOutcome.BranchMissing));
            Assert.That(third.Single().Repeated, Is.True);
            Assert.That(loop.IsCompletedSuccessfully, Is.True);
        });
    }

    private async Task StartAsync(bool withOrigin = true)
    {
        sandbox = await GitSandbox.CreateAsync(withOrigin);
        worktrees = new WorktreeManager(sandbox.Repo);
        tracker.Add("ts-1");
    }

    private ReviewReconciler Reconciler(ReviewReconcilerOptions? options = null) =>
        new(tracker, sandbox.Repo, worktrees, options);

    /// <summary>What an agent does: work in its worktree, commit, push its branch.</summary>
    private async Task<Worktree> AgentPushesAsync(string id, params (string File, string Content)[] commits)
    {
        Worktree worktree = await worktrees.EnsureAsync(id, CancellationToken.None);
        foreach (var (file, content) in commits)
        {
            await sandbox.CommitAsync(worktree.Path, file, content, $"{id}: {file}");
        }

        await sandbox.RunAsync(worktree.Path, "push", "--quiet", "origin", GitRefs.WorkBranch(id));
        return worktree;
    }

    /// <summary>What a person does on the forge: fetch, run a git command on main, push main.</summary>
    private async Task ReviewerAsync(params string[] args)
    {
        await sandbox.RunAsync(sandbox.ReviewerPath, "fetch", "--quiet", "origin");
        await sandbox.RunAsync(sandbox.ReviewerPath, args);
        if (args[0] is "merge" or "commit" or "cherry-pick")
        {
            await sandbox.RunAsync(sandbox.ReviewerPath, "push", "--quiet", "origin", "HEAD");
        }
    }

    private async Task ReviewerCommitsAsync(string file, string content, string message)
    {
        await sandbox.RunAsync(sandbox.ReviewerPath, "pull", "--quiet", "--ff-only", "origin", "main");
        await sandbox.CommitAsync(sandbox.ReviewerPath, file, content, message);
        await sandbox.RunAsync(sandbox.ReviewerPath, "push", "--quiet", "origin", "main");
        await sandbox.RunAsync(sandbox.RepoPath, "fetch", "--quiet", "origin");
    }
}
