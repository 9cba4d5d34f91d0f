using Aetherflow.Engine.Git;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Git;

/// <summary>Landing detection on real histories, one repository, <c>main</c> standing for the upstream base.</summary>
public sealed class LandingDetectorTests
{
    private const string Numbers = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n21\n22\n23\n24\n25\n";

    private GitSandbox sandbox = null!;
    private string repo = null!;

    [SetUp]
    public async Task SetUp()
    {
        sandbox = await GitSandbox.CreateAsync(withOrigin: false);
        repo = sandbox.RepoPath;
        await sandbox.CommitAsync(repo, "numbers.txt", Numbers, "Numbers");
    }

    [TearDown]
    public void TearDown() => sandbox.Dispose();

    [Test]
    public async Task A_merged_branch_is_an_ancestor()
    {
        await Branch(("numbers.txt", Numbers.Replace("10\n", "ten\n")));
        await sandbox.RunAsync(repo, "merge", "--quiet", "--no-ff", "-m", "Merge af/ts-1", "af/ts-1");

        Assert.That(await Check(), Is.EqualTo(LandingKind.Merged));
    }

    [Test]
    public async Task A_rebase_merge_is_recognised_by_equivalent_patches()
    {
        await Branch(("numbers.txt", Numbers.Replace("10\n", "ten\n")), ("new.txt", "new\n"));
        await sandbox.CommitAsync(repo, "other.txt", "other\n", "Main moves on");
        await sandbox.RunAsync(repo, "cherry-pick", "main..af/ts-1");

        Assert.That(await Check(), Is.EqualTo(LandingKind.Rebased));
    }

    [Test]
    public async Task A_squash_merge_is_recognised_even_when_nearby_lines_changed_on_main_first()
    {
        await Branch(("numbers.txt", Numbers.Replace("10\n", "ten\n")), ("numbers.txt", Numbers.Replace("10\n", "ten\n").Replace("20\n", "twenty\n")));
        await sandbox.CommitAsync(repo, "numbers.txt", Numbers.Replace("8\n", "eight\n"), "Main edits a nearby line");
        await SquashMerge();

        // git cherry hashes diffs with context, so it misses exactly this squash.
        string cherry = await sandbox.RunAsync(repo, "cherry", "main", await SyntheticSquashAsync());
        Assert.Multiple(async () =>
        {
            Assert.That(cherry, Does.StartWith("+"));
            Assert.That(await Check(), Is.EqualTo(LandingKind.Squashed));
        });
    }

    [Test]
    public async Task A_squash_merge_is_still_recognised_after_main_edited_the_same_lines_again()
    {
        await Branch(("numbers.txt", Numbers.Replace("10\n", "ten\n")));
        await SquashMerge();
        await sandbox.CommitAsync(repo, "numbers.txt", Numbers.Replace("10\n", "TEN\n"), "Later rework of the same line");

        Assert.That(await Check(), Is.EqualTo(LandingKind.Squashed));
    }

    [Test]
    public async Task A_squash_merge_the_reviewer_amended_is_recognised_because_merging_would_change_nothing()
    {
        await Branch(("numbers.txt", Numbers.Replace("10\n", "ten\n")), ("new.txt", "new\n"));
        await sandbox.RunAsync(repo, "merge", "--quiet", "--squash", "af/ts-1");
        await File.WriteAllTextAsync(Path.Combine(repo, "README.md"), "# demo, with a reviewer's touch\n");
        await sandbox.RunAsync(repo, "commit", "--quiet", "-a", "-m", "Squashed with an extra fix");

        Assert.That(await Check(), Is.EqualTo(LandingKind.ChangesUpstream));
    }

    [Test]
    public async Task A_branch_with_work_not_on_main_has_not_landed()
    {
        await Branch(("numbers.txt", Numbers.Replace("10\n", "ten\n")));

        Assert.That(await Check(), Is.EqualTo(LandingKind.NotLanded));
    }

    [Test]
    public async Task A_partly_picked_branch_has_not_landed()
    {
        await Branch(("numbers.txt", Numbers.Replace("10\n", "ten\n")), ("new.txt", "new\n"));
        await sandbox.RunAsync(repo, "cherry-pick", "af/ts-1~1");

        Assert.That(await Check(), Is.EqualTo(LandingKind.NotLanded));
    }

    [Test]
    public async Task A_branch_whose_changes_cancel_out_has_not_landed()
    {
        await Branch(("scratch.txt", "x\n"));
        string scratch = Path.Combine(sandbox.Root, "undo");
        await sandbox.RunAsync(repo, "worktree", "add", "--quiet", scratch, "af/ts-1");
        await sandbox.RunAsync(scratch, "rm", "--quiet", "scratch.txt");
        await sandbox.RunAsync(scratch, "commit", "--quiet", "-m", "Undo");
        await sandbox.RunAsync(repo, "worktree", "remove", scratch);
        await sandbox.CommitAsync(repo, "other.txt", "other\n", "Main moves on");

        Assert.That(await Check(), Is.EqualTo(LandingKind.NotLanded));
    }

    [Test]
    public async Task A_branch_with_unrelated_history_has_not_landed()
    {
        await sandbox.RunAsync(repo, "checkout", "--quiet", "--orphan", "af/ts-1");
        await sandbox.CommitAsync(repo, "alone.txt", "alone\n", "Unrelated root");
        await sandbox.RunAsync(repo, "checkout", "--quiet", "main");

        Assert.That(await Check(), Is.EqualTo(LandingKind.NotLanded));
    }

    [Test]
    public async Task A_detector_answers_the_same_on_a_second_check_with_its_cached_patch_ids()
    {
        await Branch(("numbers.txt", Numbers.Replace("10\n", "ten\n")));
        await SquashMerge();
        var detector = new LandingDetector(sandbox.Repo);

        LandingKind first = await detector.CheckAsync("refs/heads/af/ts-1", "refs/heads/main", CancellationToken.None);
        LandingKind second = await detector.CheckAsync("refs/heads/af/ts-1", "refs/heads/main", CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((LandingKind.Squashed, LandingKind.Squashed)));
    }

    [Test]
    public async Task Refs_that_read_as_options_or_ranges_are_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() =>
            new LandingDetector(sandbox.Repo).CheckAsync("--output=/tmp/x", "refs/heads/main", CancellationToken.None));

    private Task<string> Branch(params (string File, string Content)[] commits) =>
        sandbox.CreateBranchAsync("af/ts-1", "main", commits);

    private async Task SquashMerge()
    {
        await sandbox.RunAsync(repo, "merge", "--quiet", "--squash", "af/ts-1");
        await sandbox.RunAsync(repo, "commit", "--quiet", "-m", "Squash af/ts-1");
    }

    private async Task<string> SyntheticSquashAsync()
    {
        string mergeBase = await sandbox.RunAsync(repo, "merge-base", "main", "af/ts-1");
        return await sandbox.RunAsync(repo, "commit-tree", "af/ts-1^{tree}", "-p", mergeBase, "-m", "probe");
    }

    private Task<LandingKind> Check() =>
        new LandingDetector(sandbox.Repo).CheckAsync("refs/heads/af/ts-1", "refs/heads/main", CancellationToken.None);
}
