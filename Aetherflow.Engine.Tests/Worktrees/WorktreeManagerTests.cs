using Aetherflow.Engine.Git;
using Aetherflow.Engine.Tests.Support;
using Aetherflow.Engine.Worktrees;

namespace Aetherflow.Engine.Tests.Worktrees;

public sealed class WorktreeManagerTests
{
    private GitSandbox sandbox = null!;

    [TearDown]
    public void TearDown() => sandbox.Dispose();

    [Test]
    public async Task A_new_worktree_starts_from_the_remote_base_on_its_own_branch()
    {
        sandbox = await GitSandbox.CreateAsync();
        string remoteMain = await sandbox.RunAsync(sandbox.RepoPath, "rev-parse", "origin/main");
        await sandbox.CommitAsync(sandbox.RepoPath, "local.txt", "unpushed\n", "A person's unpushed commit");
        WorktreeManager manager = Manager();

        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(worktree.Path, Is.EqualTo(Path.Combine(sandbox.RepoPath, ".aetherflow", "worktrees", "ts-1")));
            Assert.That(worktree.Branch, Is.EqualTo("af/ts-1"));
            Assert.That(worktree.Setup, Is.EqualTo(WorktreeSetup.CreatedFromBase));
            Assert.That(worktree.StartPoint, Is.EqualTo("refs/remotes/origin/main"));
            Assert.That(worktree.Head, Is.EqualTo(remoteMain));
            Assert.That(File.Exists(Path.Combine(worktree.Path, "README.md")), Is.True);
            Assert.That(File.Exists(Path.Combine(worktree.Path, "local.txt")), Is.False);
            Assert.That(await sandbox.RunAsync(worktree.Path, "branch", "--show-current"), Is.EqualTo("af/ts-1"));
        });
    }

    [Test]
    public async Task A_new_branch_does_not_track_the_base_so_a_plain_push_cannot_land_on_it()
    {
        sandbox = await GitSandbox.CreateAsync();

        await Manager().EnsureAsync("ts-1", CancellationToken.None);

        GitResult upstream = await sandbox.Repo.RunAsync(["config", "--get", "branch.af/ts-1.merge"], CancellationToken.None);
        Assert.That(upstream.ExitCode, Is.EqualTo(1), upstream.StandardOutput);
    }

    [Test]
    public async Task The_commit_a_new_branch_started_from_is_remembered_with_the_branch()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);

        string? start = await manager.StartCommitAsync("ts-1", CancellationToken.None);
        await manager.RemoveAsync("ts-1", new WorktreeRemoveOptions { DeleteBranch = true }, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(start, Is.EqualTo(worktree.Head));
            Assert.That(await manager.StartCommitAsync("ts-1", CancellationToken.None), Is.Null, "forgotten with the branch");
        });
    }

    [Test]
    public async Task A_repository_without_a_remote_starts_from_the_local_base()
    {
        sandbox = await GitSandbox.CreateAsync(withOrigin: false);
        string main = await sandbox.RunAsync(sandbox.RepoPath, "rev-parse", "main");

        Worktree worktree = await Manager().EnsureAsync("ts-1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(worktree.StartPoint, Is.EqualTo("refs/heads/main"));
            Assert.That(worktree.Head, Is.EqualTo(main));
        });
    }

    [Test]
    public async Task Solo_mode_can_prefer_the_local_base()
    {
        sandbox = await GitSandbox.CreateAsync();
        string localMain = await sandbox.CommitAsync(sandbox.RepoPath, "merged.txt", "x\n", "A solo merge not pushed yet");

        Worktree worktree = await Manager(new WorktreeOptions { PreferLocalBase = true }).EnsureAsync("ts-1", CancellationToken.None);

        Assert.That(worktree.Head, Is.EqualTo(localMain));
    }

    [Test]
    public async Task A_configured_base_branch_is_used()
    {
        sandbox = await GitSandbox.CreateAsync();
        await sandbox.RunAsync(sandbox.RepoPath, "branch", "develop");
        string develop = await sandbox.CreateBranchAsync("develop-work", "develop", ("d.txt", "d\n"));
        await sandbox.RunAsync(sandbox.RepoPath, "branch", "--force", "develop", develop);

        Worktree worktree = await Manager(new WorktreeOptions { BaseBranch = "develop" }).EnsureAsync("ts-1", CancellationToken.None);

        Assert.That(worktree.Head, Is.EqualTo(develop));
    }

    [Test]
    public async Task A_missing_base_branch_is_a_one_line_error_that_names_the_setting()
    {
        sandbox = await GitSandbox.CreateAsync(withOrigin: false);

        var error = await Assert.ThrowsAsync<WorktreeException>(() =>
            Manager(new WorktreeOptions { BaseBranch = "trunk" }).EnsureAsync("ts-1", CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("neither origin/trunk nor trunk exists").And.Contain("base_branch"));
    }

    [Test]
    public async Task An_existing_worktree_is_reused_as_is()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree first = await manager.EnsureAsync("ts-1", CancellationToken.None);
        string work = await sandbox.CommitAsync(first.Path, "work.txt", "committed\n", "Agent work");
        await File.WriteAllTextAsync(Path.Combine(first.Path, "draft.txt"), "not committed yet");

        Worktree again = await manager.EnsureAsync("ts-1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(again.Setup, Is.EqualTo(WorktreeSetup.Reused));
            Assert.That(again.Path, Is.EqualTo(first.Path));
            Assert.That(again.Head, Is.EqualTo(work));
            Assert.That(File.ReadAllText(Path.Combine(again.Path, "draft.txt")), Is.EqualTo("not committed yet"));
        });
    }

    [Test]
    public async Task A_worktree_in_the_middle_of_a_rebase_is_reused_not_refused()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree first = await manager.EnsureAsync("ts-1", CancellationToken.None);
        await sandbox.RunAsync(first.Path, "checkout", "--quiet", "--detach");

        Worktree again = await manager.EnsureAsync("ts-1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(again.Setup, Is.EqualTo(WorktreeSetup.Reused));
            Assert.That(again.Branch, Is.Null);
        });
    }

    [Test]
    public async Task A_stale_registration_is_pruned_and_the_worktree_recreated_on_the_same_branch()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree first = await manager.EnsureAsync("ts-1", CancellationToken.None);
        string work = await sandbox.CommitAsync(first.Path, "work.txt", "committed\n", "Agent work");
        Directory.Delete(first.Path, recursive: true);

        Worktree again = await manager.EnsureAsync("ts-1", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(again.Setup, Is.EqualTo(WorktreeSetup.CheckedOutBranch));
            Assert.That(again.Head, Is.EqualTo(work), "the branch is checked out, not reset to the base");
            Assert.That(File.ReadAllText(Path.Combine(again.Path, "work.txt")), Is.EqualTo("committed\n"));
            Assert.That(await sandbox.RunAsync(sandbox.RepoPath, "worktree", "list", "--porcelain"), Does.Not.Contain("prunable"));
        });
    }

    [Test]
    public async Task An_existing_branch_without_a_worktree_is_checked_out_not_reset()
    {
        sandbox = await GitSandbox.CreateAsync();
        string tip = await sandbox.CreateBranchAsync("af/ts-1", "main", ("one.txt", "1\n"), ("two.txt", "2\n"));
        await sandbox.CommitAsync(sandbox.ReviewerPath, "later.txt", "main moved on\n", "Main moves on");
        await sandbox.RunAsync(sandbox.ReviewerPath, "push", "--quiet", "origin", "main");
        await sandbox.RunAsync(sandbox.RepoPath, "fetch", "--quiet", "origin");

        Worktree worktree = await Manager().EnsureAsync("ts-1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(worktree.Setup, Is.EqualTo(WorktreeSetup.CheckedOutBranch));
            Assert.That(worktree.Branch, Is.EqualTo("af/ts-1"));
            Assert.That(worktree.Head, Is.EqualTo(tip));
            Assert.That(worktree.StartPoint, Is.Null);
        });
    }

    [Test]
    public async Task A_branch_that_exists_only_on_the_remote_is_continued()
    {
        sandbox = await GitSandbox.CreateAsync();
        string tip = await sandbox.CreateBranchAsync("af/ts-1", "main", ("one.txt", "1\n"));
        await sandbox.RunAsync(sandbox.RepoPath, "push", "--quiet", "origin", "af/ts-1");
        await sandbox.RunAsync(sandbox.RepoPath, "fetch", "--quiet", "origin");
        await sandbox.RunAsync(sandbox.RepoPath, "branch", "-D", "af/ts-1");

        Worktree worktree = await Manager().EnsureAsync("ts-1", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(worktree.Setup, Is.EqualTo(WorktreeSetup.CreatedFromRemoteBranch));
            Assert.That(worktree.Head, Is.EqualTo(tip));
            Assert.That(await sandbox.RunAsync(sandbox.RepoPath, "config", "--get", "branch.af/ts-1.merge"), Is.EqualTo("refs/heads/af/ts-1"));
        });
    }

    [Test]
    public async Task A_branch_checked_out_elsewhere_is_refused_with_where()
    {
        sandbox = await GitSandbox.CreateAsync();
        await sandbox.RunAsync(sandbox.RepoPath, "checkout", "--quiet", "-b", "af/ts-1");

        var error = await Assert.ThrowsAsync<WorktreeException>(() => Manager().EnsureAsync("ts-1", CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith($"branch af/ts-1 is checked out at {sandbox.RepoPath};"));
    }

    [Test]
    public async Task A_foreign_folder_in_the_way_is_refused_and_left_alone()
    {
        sandbox = await GitSandbox.CreateAsync();
        string folder = Path.Combine(sandbox.RepoPath, ".aetherflow", "worktrees", "ts-1");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "precious.txt"), "mine");

        var error = await Assert.ThrowsAsync<WorktreeException>(() => Manager().EnsureAsync("ts-1", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("is not a git worktree"));
            Assert.That(File.ReadAllText(Path.Combine(folder, "precious.txt")), Is.EqualTo("mine"));
        });
    }

    [TestCase("--exec=evil")]
    [TestCase("../escape")]
    [TestCase("a/b")]
    [TestCase(".hidden")]
    [TestCase("x.lock")]
    public async Task Invalid_ids_are_refused_before_any_path_or_git_call(string id)
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();

        await Assert.ThrowsAsync<ArgumentException>(() => manager.EnsureAsync(id, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => manager.RemoveAsync(id, null, CancellationToken.None));

        Assert.That(Directory.Exists(Path.Combine(sandbox.RepoPath, ".aetherflow")), Is.False);
    }

    [Test]
    public async Task Every_worktree_path_stays_under_the_worktrees_folder()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();

        Assert.That(manager.PathFor("ts-1"), Is.EqualTo(Path.Combine(manager.WorktreesDirectory, "ts-1")));
    }

    [Test]
    public async Task Removing_a_clean_worktree_keeps_its_branch()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);
        string work = await sandbox.CommitAsync(worktree.Path, "work.txt", "w\n", "Agent work");
        Directory.CreateDirectory(Path.Combine(worktree.Path, "bin"));
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, ".gitignore"), "bin/\n");
        await sandbox.RunAsync(worktree.Path, "add", ".gitignore");
        await sandbox.RunAsync(worktree.Path, "commit", "--quiet", "-m", "ignore build output");
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, "bin", "app.dll"), "build output");

        WorktreeRemoval removal = await manager.RemoveAsync("ts-1", null, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(removal.Outcome, Is.EqualTo(WorktreeRemovalOutcome.Removed));
            Assert.That(removal.BranchDeleted, Is.False);
            Assert.That(Directory.Exists(worktree.Path), Is.False);
            Assert.That(await sandbox.Repo.IsAncestorAsync(work, "refs/heads/af/ts-1", CancellationToken.None), Is.True);
            Assert.That(await manager.FindAsync("ts-1", CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task A_dirty_worktree_is_kept_untouched_unless_changes_are_discarded()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, "README.md"), "edited\n");
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, "new.txt"), "untracked\n");

        WorktreeRemoval kept = await manager.RemoveAsync("ts-1", null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(kept.Outcome, Is.EqualTo(WorktreeRemovalOutcome.KeptDirty));
            Assert.That(kept.Message, Does.StartWith("worktree ts-1 kept: 2 uncommitted changes at "));
            Assert.That(File.ReadAllText(Path.Combine(worktree.Path, "new.txt")), Is.EqualTo("untracked\n"));
        });

        WorktreeRemoval discarded = await manager.RemoveAsync("ts-1", new WorktreeRemoveOptions { DiscardChanges = true }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(discarded.Outcome, Is.EqualTo(WorktreeRemovalOutcome.Removed));
            Assert.That(Directory.Exists(worktree.Path), Is.False);
        });
    }

    [Test]
    public async Task A_locked_worktree_is_kept()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);
        await sandbox.RunAsync(sandbox.RepoPath, "worktree", "lock", worktree.Path);

        WorktreeRemoval removal = await manager.RemoveAsync("ts-1", new WorktreeRemoveOptions { DiscardChanges = true }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(removal.Outcome, Is.EqualTo(WorktreeRemovalOutcome.KeptLocked));
            Assert.That(Directory.Exists(worktree.Path), Is.True);
        });
    }

    [Test]
    public async Task Deleting_the_branch_keeps_commits_that_exist_nowhere_else()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);
        await sandbox.CommitAsync(worktree.Path, "work.txt", "w\n", "Unpushed agent work");

        WorktreeRemoval removal = await manager.RemoveAsync("ts-1", new WorktreeRemoveOptions { DeleteBranch = true }, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(removal.Outcome, Is.EqualTo(WorktreeRemovalOutcome.Removed));
            Assert.That(removal.BranchDeleted, Is.False);
            Assert.That(removal.Message, Is.EqualTo("worktree ts-1 removed; branch af/ts-1 kept: 1 commit exists only there"));
            Assert.That(await sandbox.Repo.RefExistsAsync("refs/heads/af/ts-1", CancellationToken.None), Is.True);
        });
    }

    [Test]
    public async Task Deleting_the_branch_of_pushed_work_deletes_it()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);
        await sandbox.CommitAsync(worktree.Path, "work.txt", "w\n", "Agent work");
        await sandbox.RunAsync(worktree.Path, "push", "--quiet", "origin", "af/ts-1");

        WorktreeRemoval removal = await manager.RemoveAsync("ts-1", new WorktreeRemoveOptions { DeleteBranch = true }, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(removal.BranchDeleted, Is.True);
            Assert.That(await sandbox.Repo.RefExistsAsync("refs/heads/af/ts-1", CancellationToken.None), Is.False);
        });
    }

    [Test]
    public async Task Removing_a_worktree_whose_folder_is_gone_prunes_it_and_removing_none_says_so()
    {
        sandbox = await GitSandbox.CreateAsync();
        WorktreeManager manager = Manager();
        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);
        Directory.Delete(worktree.Path, recursive: true);

        WorktreeRemoval stale = await manager.RemoveAsync("ts-1", null, CancellationToken.None);
        WorktreeRemoval none = await manager.RemoveAsync("ts-1", null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(stale.Outcome, Is.EqualTo(WorktreeRemovalOutcome.PrunedStale));
            Assert.That(none.Outcome, Is.EqualTo(WorktreeRemovalOutcome.NotFound));
        });
    }

    [Test]
    public async Task Engine_files_are_excluded_once_for_the_repository_and_all_its_worktrees()
    {
        sandbox = await GitSandbox.CreateAsync();
        string exclude = Path.Combine(sandbox.RepoPath, ".git", "info", "exclude");
        await File.WriteAllTextAsync(exclude, "# the user's own\n*.log");
        WorktreeManager manager = Manager();

        bool first = await manager.EnsureEngineFilesExcludedAsync(CancellationToken.None);
        bool second = await Manager().EnsureEngineFilesExcludedAsync(CancellationToken.None);
        Worktree worktree = await manager.EnsureAsync("ts-1", CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(worktree.Path, ".opencode", "node_modules", "x"));
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, ".opencode", "node_modules", "x", "index.js"), "x");
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, ".opencode", "package.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, ".opencode", "bun.lock"), "");
        await File.WriteAllTextAsync(Path.Combine(worktree.Path, ".opencode", "plugin.ts"), "// the project's own");

        string[] lines = File.ReadAllLines(exclude);
        Assert.Multiple(async () =>
        {
            Assert.That(first, Is.True);
            Assert.That(second, Is.False);
            Assert.That(lines.Take(2), Is.EqualTo(new[] { "# the user's own", "*.log" }));
            foreach (string pattern in WorktreeManager.ExcludedPatterns)
            {
                Assert.That(lines.Count(l => l == pattern), Is.EqualTo(1), pattern);
            }

            Assert.That(await sandbox.RunAsync(sandbox.RepoPath, "status", "--porcelain", "--untracked-files=all"), Is.Empty);
            Assert.That(
                await sandbox.RunAsync(worktree.Path, "status", "--porcelain", "--untracked-files=all"),
                Is.EqualTo("?? .opencode/plugin.ts"));
        });
    }

    [Test]
    public async Task Creating_a_worktree_excludes_engine_files_even_if_startup_did_not()
    {
        sandbox = await GitSandbox.CreateAsync();

        await Manager().EnsureAsync("ts-1", CancellationToken.None);

        Assert.That(File.ReadAllLines(Path.Combine(sandbox.RepoPath, ".git", "info", "exclude")), Does.Contain("/.aetherflow/"));
    }

    private WorktreeManager Manager(WorktreeOptions? options = null) => new(sandbox.Repo, options);
}
