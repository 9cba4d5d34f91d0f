using System.Globalization;
using Aetherflow.Engine.Git;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Demo;

/// <summary>
/// The demo's throw-away project: the <see cref="DemoCatalog"/> files in a fresh git repository on <c>main</c> with
/// one commit and its own git identity, a <c>.aetherflow.yaml</c> for auto mode in solo, and the catalog's tasks with
/// their dependencies in the built-in store.
/// </summary>
public sealed class DemoProject
{
    /// <summary>The branch the project starts on and the agents land on.</summary>
    public const string BaseBranch = "main";

    /// <summary>The git identity the demo repository sets for itself (so it needs none from the user).</summary>
    public const string GitUserName = "Aetherflow demo";

    /// <summary>The git e-mail the demo repository sets for itself.</summary>
    public const string GitUserEmail = "demo@aetherflow.invalid";

    private DemoProject(string directory, string name, IReadOnlyList<DemoTask> tasks)
    {
        Directory = directory;
        Name = name;
        Tasks = tasks;
    }

    /// <summary>The project folder (the main checkout).</summary>
    public string Directory { get; }

    /// <summary>The project name.</summary>
    public string Name { get; }

    /// <summary>The tasks, in the catalog's order.</summary>
    public IReadOnlyList<DemoTask> Tasks { get; }

    /// <summary>The <c>.aetherflow.yaml</c> of a demo project.</summary>
    public static string ConfigYaml(string projectName, int poolSize) =>
        "# Made by `aetherflow demo`: a throw-away project whose tasks scripted demo agents work on.\n"
        + $"project: {projectName}\n"
        + "spawn_policy: auto\n"
        + "solo: true\n"
        + $"pool_size: {poolSize.ToString(CultureInfo.InvariantCulture)}\n"
        + "poll_interval: 2s\n";

    /// <summary>Creates the project.</summary>
    /// <exception cref="ArgumentException">The project name is invalid.</exception>
    /// <exception cref="IOException">The folder exists and is not empty, or a file cannot be written.</exception>
    /// <exception cref="GitException">git failed.</exception>
    public static async Task<DemoProject> CreateAsync(DemoProjectOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Identifiers.IsProjectName(options.ProjectName))
        {
            throw new ArgumentException($"'{options.ProjectName}' is not a valid project name: {Identifiers.ProjectNameRule}", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.PoolSize, 1);
        string directory = Path.GetFullPath(options.Directory);
        if (System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"{directory} exists and is not empty; the demo makes its project in a new folder");
        }

        System.IO.Directory.CreateDirectory(directory);
        foreach ((string path, string content) in DemoCatalog.InitialFiles)
        {
            await WriteAsync(directory, path, content, cancellationToken).ConfigureAwait(false);
        }

        foreach (string path in DemoCatalog.ExecutableFiles)
        {
            string full = Path.Combine(directory, path);
            File.SetUnixFileMode(full, File.GetUnixFileMode(full) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        await WriteAsync(directory, ".aetherflow.yaml", ConfigYaml(options.ProjectName, options.PoolSize), cancellationToken).ConfigureAwait(false);
        await CommitFirstAsync(directory, options, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DemoTask> tasks = await AddTasksAsync(directory, options, cancellationToken).ConfigureAwait(false);
        return new DemoProject(directory, options.ProjectName, tasks);
    }

    /// <summary>The project's task store.</summary>
    public BuiltinTaskStore OpenStore(TimeProvider? timeProvider = null) =>
        new(new BuiltinTaskStoreOptions { ProjectDirectory = Directory, ProjectName = Name, TimeProvider = timeProvider ?? TimeProvider.System });

    private static async Task CommitFirstAsync(string directory, DemoProjectOptions options, CancellationToken cancellationToken)
    {
        var git = new GitClient(directory, new GitClientOptions { Environment = options.GitEnvironment, TimeProvider = options.TimeProvider, Logger = options.Logger });
        await git.RunCheckedAsync(["init", "--quiet", "-b", BaseBranch], cancellationToken).ConfigureAwait(false);

        // The repository's own settings, which its worktrees share: an identity (the agents commit and merge with it,
        // on machines where git has none) and no commit signing (an agent cannot answer a passphrase prompt).
        await git.RunCheckedAsync(["config", "user.name", GitUserName], cancellationToken).ConfigureAwait(false);
        await git.RunCheckedAsync(["config", "user.email", GitUserEmail], cancellationToken).ConfigureAwait(false);
        await git.RunCheckedAsync(["config", "commit.gpgsign", "false"], cancellationToken).ConfigureAwait(false);
        await git.RunCheckedAsync(["add", "--all"], cancellationToken).ConfigureAwait(false);
        await git.RunCheckedAsync(["commit", "--quiet", "-m", DemoCatalog.InitialCommitMessage], cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<DemoTask>> AddTasksAsync(string directory, DemoProjectOptions options, CancellationToken cancellationToken)
    {
        var store = new BuiltinTaskStore(new BuiltinTaskStoreOptions
        {
            ProjectDirectory = directory,
            ProjectName = options.ProjectName,
            TimeProvider = options.TimeProvider,
            Logger = options.Logger,
        });
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var tasks = new List<DemoTask>();
        foreach (DemoTaskPlan plan in DemoCatalog.Tasks)
        {
            string id = await store.AddAsync(
                new NewTask
                {
                    Title = plan.Title,
                    Description = plan.Description,
                    DefinitionOfDone = plan.DefinitionOfDone,
                    Priority = plan.Priority,
                    Dependencies = plan.After.Select(key => ids[key]).ToList(),
                },
                cancellationToken).ConfigureAwait(false);
            ids[plan.Key] = id;
            tasks.Add(new DemoTask(id, plan));
        }

        return tasks;
    }

    private static async Task WriteAsync(string directory, string relativePath, string content, CancellationToken cancellationToken)
    {
        string full = Path.Combine(directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content, cancellationToken).ConfigureAwait(false);
    }
}
