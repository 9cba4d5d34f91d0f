namespace Aetherflow.Benchmarks.Harness;

/// <summary>An isolated HOME with XDG folders and a project folder, so benchmark engines never touch the user's.</summary>
internal sealed class BenchHome : IDisposable
{
    public BenchHome(string project = "bench")
    {
        Root = Directory.CreateTempSubdirectory("afbench-").FullName;
        Project = project;
        ProjectDirectory = Path.Combine(Root, "projects", project);
        Directory.CreateDirectory(ProjectDirectory);
        Directory.CreateDirectory(Path.Combine(Root, "home"));
        Variables = new Dictionary<string, string>
        {
            ["HOME"] = Path.Combine(Root, "home"),
            ["XDG_CONFIG_HOME"] = Path.Combine(Root, "config"),
            ["XDG_STATE_HOME"] = Path.Combine(Root, "state"),
            ["XDG_CACHE_HOME"] = Path.Combine(Root, "cache"),
            ["XDG_RUNTIME_DIR"] = Path.Combine(Root, "run"),
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["GIT_AUTHOR_NAME"] = "Aetherflow Bench",
            ["GIT_AUTHOR_EMAIL"] = "bench@aetherflow.invalid",
            ["GIT_COMMITTER_NAME"] = "Aetherflow Bench",
            ["GIT_COMMITTER_EMAIL"] = "bench@aetherflow.invalid",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
    }

    public string Root { get; }

    public string Project { get; }

    public string ProjectDirectory { get; }

    public Dictionary<string, string> Variables { get; }

    public Aetherflow.Engine.Hosting.HostEnvironment Environment => new(new Dictionary<string, string>(Variables));

    public string SocketPath => Path.Combine(Root, "run", "aetherflow", Project + ".sock");

    public void WriteConfig(string yaml) => File.WriteAllText(Path.Combine(ProjectDirectory, ".aetherflow.yaml"), yaml);

    /// <summary>Makes the project a git repository with one commit (agents work in worktrees), optionally pushed to a bare origin.</summary>
    public async Task InitGitAsync(CancellationToken cancellationToken, bool withOrigin = false)
    {
        await Shell.RunAsync("git", ["init", "-q", "-b", "main"], ProjectDirectory, Variables, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(ProjectDirectory, "README.md"), "bench\n", cancellationToken);
        await Shell.RunAsync("git", ["add", "-A"], ProjectDirectory, Variables, cancellationToken);
        await Shell.RunAsync("git", ["commit", "-qm", "init"], ProjectDirectory, Variables, cancellationToken);
        if (withOrigin)
        {
            string origin = Path.Combine(Root, "origin.git");
            await Shell.RunAsync("git", ["init", "-q", "--bare", "-b", "main", origin], Root, Variables, cancellationToken);
            await Shell.RunAsync("git", ["remote", "add", "origin", origin], ProjectDirectory, Variables, cancellationToken);
            await Shell.RunAsync("git", ["push", "-q", "origin", "main"], ProjectDirectory, Variables, cancellationToken);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not delete {Root}: {ex.Message}");
        }
    }
}
