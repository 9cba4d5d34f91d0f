using Aetherflow.Engine.Git;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Git;

public sealed class GitClientTests
{
    private GitSandbox sandbox = null!;

    [SetUp]
    public async Task SetUp() => sandbox = await GitSandbox.CreateAsync(withOrigin: false);

    [TearDown]
    public void TearDown() => sandbox.Dispose();

    [Test]
    public async Task Git_runs_in_the_clients_folder()
    {
        string top = await sandbox.Repo.RunCheckedAsync(["rev-parse", "--show-toplevel"], CancellationToken.None);

        Assert.That(top.Trim(), Is.EqualTo(sandbox.RepoPath));
    }

    [Test]
    public async Task A_failing_command_is_one_line_naming_the_command_and_gits_first_error_line()
    {
        var error = await Assert.ThrowsAsync<GitException>(() =>
            sandbox.Repo.RunCheckedAsync(["checkout", "--quiet", "no-such-branch"], CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("git checkout --quiet no-such-branch failed (exit 1): error: pathspec 'no-such-branch'"));
            Assert.That(error.Message, Does.Not.Contain('\n'));
            Assert.That(error.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Run_returns_the_exit_code_instead_of_throwing()
    {
        GitResult result = await sandbox.Repo.RunAsync(["rev-parse", "--verify", "--quiet", "refs/heads/nope"], CancellationToken.None);

        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public async Task Refs_commits_and_ancestry_are_answered_by_exit_code()
    {
        GitClient git = sandbox.Repo;
        string first = await git.ResolveCommitAsync("refs/heads/main", CancellationToken.None) ?? "";
        await sandbox.CommitAsync(sandbox.RepoPath, "a.txt", "a\n", "second");

        Assert.Multiple(async () =>
        {
            Assert.That(await git.RefExistsAsync("refs/heads/main", CancellationToken.None), Is.True);
            Assert.That(await git.RefExistsAsync("refs/heads/af/none", CancellationToken.None), Is.False);
            Assert.That(await git.IsAncestorAsync(first, "refs/heads/main", CancellationToken.None), Is.True);
            Assert.That(await git.IsAncestorAsync("refs/heads/main", first, CancellationToken.None), Is.False);
            Assert.That(await git.MergeBaseAsync(first, "refs/heads/main", CancellationToken.None), Is.EqualTo(first));
        });
    }

    [Test]
    public async Task A_revision_that_looks_like_an_option_is_refused_before_git_runs() =>
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.Repo.ResolveCommitAsync("--exec=evil", CancellationToken.None));

    [Test]
    public async Task Ancestry_of_a_missing_revision_is_an_error_not_a_no()
    {
        var error = await Assert.ThrowsAsync<GitException>(() =>
            sandbox.Repo.IsAncestorAsync("refs/heads/af/gone", "refs/heads/main", CancellationToken.None));

        Assert.That(error!.ExitCode, Is.Not.EqualTo(1));
    }

    [Test]
    public async Task Standard_input_reaches_git()
    {
        string hash = await sandbox.Repo.RunCheckedAsync(
            ["hash-object", "--stdin"], new GitCallOptions { StandardInput = "hello\n" }, CancellationToken.None);

        Assert.That(hash.Trim(), Is.EqualTo("ce013625030ba8dba906f756967f9e9ca394464a"));
    }

    [Test]
    public async Task Per_call_environment_is_passed_to_git()
    {
        string name = await sandbox.Repo.RunCheckedAsync(
            ["var", "GIT_AUTHOR_IDENT"],
            new GitCallOptions { Environment = new Dictionary<string, string?> { ["GIT_AUTHOR_NAME"] = "Someone Else" } },
            CancellationToken.None);

        Assert.That(name, Does.StartWith("Someone Else <tests@aetherflow.invalid>"));
    }

    [Test]
    public async Task A_missing_git_executable_is_a_one_line_error()
    {
        var git = new GitClient(sandbox.RepoPath, GitSandbox.ClientOptions with { GitExecutable = "/nonexistent/git" });

        var error = await Assert.ThrowsAsync<GitException>(() => git.RunAsync(["status"], CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("could not start").And.Not.Contain('\n'));
    }

    [Test]
    public async Task A_missing_folder_is_a_one_line_error()
    {
        var git = new GitClient(Path.Combine(sandbox.Root, "nowhere"), GitSandbox.ClientOptions);

        var error = await Assert.ThrowsAsync<GitException>(() => git.RunAsync(["status"], CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("does not exist"));
    }

    [Test]
    public async Task A_call_that_outlives_its_timeout_is_stopped_with_a_one_line_error()
    {
        // A stand-in for a git that hangs (a fetch waiting on a dead network).
        string hanging = Path.Combine(sandbox.Root, "hanging-git");
        await File.WriteAllTextAsync(hanging, "#!/bin/sh\nexec sleep 300\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clock = new FakeTimeProvider();
        var git = new GitClient(sandbox.RepoPath, GitSandbox.ClientOptions with
        {
            GitExecutable = hanging,
            TimeProvider = clock,
            Timeout = TimeSpan.FromSeconds(30),
        });

        Task<GitResult> call = git.RunAsync(["fetch", "origin"], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<GitException>(async () => await Eventually.WithinAsync(call, "the timed-out call to end"));
        Assert.That(error!.Message, Is.EqualTo("git fetch origin timed out after 30s in " + sandbox.RepoPath + "; it was stopped"));
    }

    [Test]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_git_failure()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => sandbox.Repo.RunAsync(["status"], cancelled.Token));
    }
}
