using Aetherflow.Engine.Git;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>
/// Real git repositories for one test, in a temp folder: the project repository (<see cref="Repo"/>), optionally a bare
/// <c>origin</c>, and a second clone of it standing for a person who reviews and merges on the forge. Every git call
/// gets its own identity and ignores the user's global and system config.
/// </summary>
public sealed class GitSandbox : IDisposable
{
    private readonly TempDirectory root = new("afgit");

    private GitSandbox()
    {
        RepoPath = root.Combine("project");
        OriginPath = root.Combine("origin.git");
        ReviewerPath = root.Combine("reviewer");
    }

    /// <summary>Identity and config isolation for every git process a test starts.</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>
    {
        ["GIT_AUTHOR_NAME"] = "Aetherflow Tests",
        ["GIT_AUTHOR_EMAIL"] = "tests@aetherflow.invalid",
        ["GIT_COMMITTER_NAME"] = "Aetherflow Tests",
        ["GIT_COMMITTER_EMAIL"] = "tests@aetherflow.invalid",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    public static GitClientOptions ClientOptions { get; } = new() { Environment = Environment };

    public string Root => root.Path;

    public string RepoPath { get; }

    public string OriginPath { get; }

    /// <summary>A clone of origin where "a person" merges reviews and pushes, as a forge would.</summary>
    public string ReviewerPath { get; }

    public GitClient Repo => new(RepoPath, ClientOptions);

    public GitClient Reviewer => new(ReviewerPath, ClientOptions);

    /// <summary>Creates the project repository on <c>main</c> with one commit; with <paramref name="withOrigin"/> also a bare origin it is pushed to.</summary>
    public static async Task<GitSandbox> CreateAsync(bool withOrigin = true)
    {
        var sandbox = new GitSandbox();
        Directory.CreateDirectory(sandbox.RepoPath);
        await sandbox.RunAsync(sandbox.RepoPath, "init", "--quiet", "-b", "main");
        await sandbox.CommitAsync(sandbox.RepoPath, "README.md", "# demo\n", "Initial commit");
        if (withOrigin)
        {
            await sandbox.RunAsync(sandbox.Root, "init", "--quiet", "--bare", "-b", "main", sandbox.OriginPath);
            await sandbox.RunAsync(sandbox.RepoPath, "remote", "add", "origin", sandbox.OriginPath);
            await sandbox.RunAsync(sandbox.RepoPath, "push", "--quiet", "origin", "main");
            await sandbox.RunAsync(sandbox.Root, "clone", "--quiet", sandbox.OriginPath, sandbox.ReviewerPath);
        }

        return sandbox;
    }

    /// <summary>Runs git in <paramref name="directory"/>; fails the test on a non-zero exit. Returns stdout trimmed.</summary>
    public async Task<string> RunAsync(string directory, params string[] args)
    {
        string output = await new GitClient(directory, ClientOptions).RunCheckedAsync(args, CancellationToken.None);
        return output.Trim();
    }

    /// <summary>Writes a file in <paramref name="directory"/> and commits it; returns the new commit id.</summary>
    public async Task<string> CommitAsync(string directory, string file, string content, string message)
    {
        string path = Path.Combine(directory, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content);
        await RunAsync(directory, "add", "--", file);
        await RunAsync(directory, "commit", "--quiet", "-m", message);
        return await RunAsync(directory, "rev-parse", "HEAD");
    }

    /// <summary>Creates <paramref name="branch"/> in the project from <paramref name="from"/> with one commit per file, without touching the project's checkout.</summary>
    public async Task<string> CreateBranchAsync(string branch, string from, params (string File, string Content)[] commits)
    {
        string scratch = Path.Combine(Root, "scratch-" + branch.Replace('/', '-'));
        await RunAsync(RepoPath, "worktree", "add", "--quiet", "--no-track", "-b", branch, scratch, from);
        string head = string.Empty;
        foreach (var (file, content) in commits)
        {
            head = await CommitAsync(scratch, file, content, $"{branch}: {file}");
        }

        await RunAsync(RepoPath, "worktree", "remove", "--force", scratch);
        return head;
    }

    /// <summary>The reviewer fetches and checks out the base again (a fresh view of origin).</summary>
    public async Task ReviewerSyncAsync()
    {
        await RunAsync(ReviewerPath, "fetch", "--quiet", "origin");
        await RunAsync(ReviewerPath, "checkout", "--quiet", "main");
        await RunAsync(ReviewerPath, "reset", "--quiet", "--hard", "origin/main");
    }

    public void Dispose() => root.Dispose();
}
