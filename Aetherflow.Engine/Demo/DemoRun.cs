using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Git;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Logging;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Demo;

/// <summary>
/// One run of <c>aetherflow demo</c>: a throw-away folder holding the demo project, the demo model, and an engine of
/// its own (a unique project name, its own state and config folders, an isolated opencode home) in auto mode, solo,
/// on the built-in store. Nothing of it touches the user's projects, sessions or opencode configuration.
/// </summary>
public sealed class DemoRun : IAsyncDisposable
{
    /// <summary>The prefix of the throw-away folder's name.</summary>
    public const string FolderPrefix = "aetherflow-demo-";

    private readonly DemoRunOptions options;
    private readonly LineLoggerFactory logging;
    private readonly GitClient git;
    private readonly HashSet<string> landed = new(StringComparer.Ordinal);

    private DemoRun(DemoRunOptions options, string root, LineLoggerFactory logging, DemoProject project, ScriptedModelServer model, EngineHost host)
    {
        this.options = options;
        this.logging = logging;
        RootDirectory = root;
        Project = project;
        Model = model;
        Host = host;
        Keep = options.Keep;
        git = new GitClient(project.Directory, new GitClientOptions { TimeProvider = options.TimeProvider, Logger = logging.CreateLogger<DemoRun>() });
    }

    /// <summary>The throw-away folder: the project, the engine's state and log, opencode's isolated home.</summary>
    public string RootDirectory { get; }

    /// <summary>The demo project.</summary>
    public DemoProject Project { get; }

    /// <summary>The demo model.</summary>
    public ScriptedModelServer Model { get; }

    /// <summary>The demo's engine.</summary>
    public EngineHost Host { get; }

    /// <summary>Whether dispose keeps the throw-away folder (set from <see cref="DemoRunOptions.Keep"/>; a caller may
    /// set it later, e.g. to keep the files of a failed run for a look).</summary>
    public bool Keep { get; set; }

    /// <summary>The engine log.</summary>
    public string LogFile => Path.Combine(RootDirectory, "engine.log");

    /// <summary>Makes the project and starts the demo model and the engine; the agents start right away.</summary>
    /// <exception cref="DemoException">The demo could not start; the message says why and what to do.</exception>
    public static async Task<DemoRun> StartAsync(DemoRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string suffix = RandomSuffix();
        string root = Path.Combine(Path.GetFullPath(options.BaseDirectory), FolderPrefix + suffix);
        LineLoggerFactory logging;
        try
        {
            PrivateDirectory.Ensure(root);
            logging = LineLoggerFactory.ForFile(Path.Combine(root, "engine.log"), LogLevel.Information, options.TimeProvider);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DemoException($"the demo cannot make its folder {root}: {ex.Message}; set TMPDIR to a writable folder", ex);
        }

        ScriptedModelServer? model = null;
        try
        {
            DemoProject project = await DemoProject.CreateAsync(
                new DemoProjectOptions
                {
                    Directory = Path.Combine(root, DemoCatalog.ProjectFolderName),
                    ProjectName = "demo-" + suffix,
                    PoolSize = options.PoolSize,
                    GitEnvironment = options.Environment.Variables.ToDictionary(v => v.Key, v => (string?)v.Value),
                    TimeProvider = options.TimeProvider,
                    Logger = logging.CreateLogger<DemoProject>(),
                },
                cancellationToken).ConfigureAwait(false);
            model = await ScriptedModelServer.StartAsync(
                new ScriptedModelOptions
                {
                    Scripts = DemoScripts.Scripts(project),
                    WorkScenarios = DemoScripts.Assignments(project),
                    AnswerDelay = options.AnswerDelay,
                    MaxLifetime = options.MaxLifetime,
                    TimeProvider = options.TimeProvider,
                    Logger = logging.CreateLogger<ScriptedModelServer>(),
                },
                cancellationToken).ConfigureAwait(false);
            EngineHost host = await StartEngineAsync(options, root, project, model, logging, cancellationToken).ConfigureAwait(false);
            return new DemoRun(options, root, logging, project, model, host);
        }
        catch (Exception ex)
        {
            // Whatever stopped the start, nothing of the demo may be left running or lying around.
            if (model is not null)
            {
                await model.DisposeAsync().ConfigureAwait(false);
            }

            logging.CreateLogger<DemoRun>().LogError(ex, "The demo did not start");
            logging.Dispose();
            Cleanup(root, options.Keep);
            if (ex is IOException or UnauthorizedAccessException or GitException or ConfigException or EngineSetupException or Rpc.EngineAlreadyRunningException)
            {
                throw new DemoException($"the demo did not start: {ex.Message}", ex);
            }

            throw;
        }
    }

    /// <summary>Where every task is now: its status, and — once it is done — whether its branch is merged into <c>main</c>.</summary>
    public async Task<IReadOnlyList<DemoTaskStatus>> CheckAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<TrackerTaskDetail> details = await Project.OpenStore(options.TimeProvider).ListDetailsAsync(null, cancellationToken).ConfigureAwait(false);
        Dictionary<string, TrackerTaskState> states = details.ToDictionary(t => t.Id, t => t.State, StringComparer.Ordinal);
        var statuses = new List<DemoTaskStatus>();
        foreach (DemoTask task in Project.Tasks)
        {
            TrackerTaskState state = states.TryGetValue(task.Id, out TrackerTaskState found) ? found : TrackerTaskState.Canceled;

            // A landed branch stays landed: ask git once per done task, not on every poll.
            if (state == TrackerTaskState.Done && !landed.Contains(task.Id) && await IsLandedAsync(task.Id, cancellationToken).ConfigureAwait(false))
            {
                landed.Add(task.Id);
            }

            statuses.Add(new DemoTaskStatus(task, state, landed.Contains(task.Id)));
        }

        return statuses;
    }

    /// <summary>
    /// Waits until every task is done with its branch on <c>main</c> (success), a task is done without its branch on
    /// <c>main</c> (failure), or <paramref name="timeout"/> passes (failure); reports what happens on the way.
    /// </summary>
    /// <param name="progress">Receives one line per event (agent started, tool call, task done); null for none.</param>
    /// <param name="timeout">How long the demo may take.</param>
    /// <param name="cancellationToken">Stops waiting (SIGINT).</param>
    public async Task<DemoOutcome> RunToCompletionAsync(Action<string>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = options.TimeProvider.GetTimestamp();
        using var lines = new DemoProgressLines(Host.Engine, Project, progress, () => options.TimeProvider.GetElapsedTime(started));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), options.TimeProvider);
        IReadOnlyList<DemoTaskStatus> statuses;
        while (true)
        {
            statuses = await CheckAsync(cancellationToken).ConfigureAwait(false);
            lines.Report(statuses);
            TimeSpan elapsed = options.TimeProvider.GetElapsedTime(started);
            if (statuses.All(s => s.Finished))
            {
                return new DemoOutcome(true, $"all {statuses.Count} tasks are done and their branches are merged into {DemoProject.BaseBranch}", elapsed, statuses);
            }

            if (statuses.FirstOrDefault(s => s.State == TrackerTaskState.Done && !s.Landed) is { } unlanded)
            {
                return new DemoOutcome(false, $"task {unlanded.Task.Id} is done but its branch af/{unlanded.Task.Id} is not merged into {DemoProject.BaseBranch}; see {LogFile}", elapsed, statuses);
            }

            if (elapsed >= timeout)
            {
                return new DemoOutcome(false, TimeoutMessage(statuses, timeout), elapsed, statuses);
            }

            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the engine (and with it the agents' opencode server) and the demo model; deletes the throw-away
    /// folder unless <see cref="Keep"/> is set.</summary>
    /// <exception cref="IOException">The folder could not be deleted.</exception>
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync().ConfigureAwait(false);
        await Model.DisposeAsync().ConfigureAwait(false);
        logging.Dispose();
        Cleanup(RootDirectory, Keep);
    }

    private static async Task<EngineHost> StartEngineAsync(
        DemoRunOptions options, string root, DemoProject project, ScriptedModelServer model, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var environment = new HostEnvironment(EngineEnvironment(options.Environment, root));
        AetherflowConfig config = ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = project.Directory,
            Environment = environment.Variables,
            Flags = new Dictionary<string, string> { [ConfigKeys.OpencodeBin.Name] = options.OpencodeExecutable },
        });
        EngineHost host = await EngineHost.StartAsync(
            config,
            new EngineOptions
            {
                TimeProvider = options.TimeProvider,
                LoggerFactory = logging,
                Environment = environment,
                Headless = true,
                Components = EngineComposition.CreateAsync,
                CliDirectory = options.CliDirectory,
                ConfigureOpencodeServer = server => server with
                {
                    IsolatedHome = Path.Combine(root, "opencode-home"),
                    ConfigContent = OpencodeConfig(model),
                    DisableModelsFetch = true,
                    ExtraEnvironment = new Dictionary<string, string> { ["OPENCODE_DISABLE_SHARE"] = "1", ["OPENCODE_DISABLE_LSP_DOWNLOAD"] = "1" },
                    StartupTimeout = TimeSpan.FromSeconds(90),
                    LifetimeLimit = options.MaxLifetime,
                },
            },
            cancellationToken).ConfigureAwait(false);
        if (host.Engine.Components?.Opencode is null)
        {
            string reason = host.Engine.Snapshot.Warnings.FirstOrDefault() ?? "the opencode runtime is not available";
            await host.DisposeAsync().ConfigureAwait(false);
            throw new DemoException($"the demo's agents cannot run: {reason}");
        }

        return host;
    }

    // Snapshots are opencode's undo history (a git commit of the worktree around every step): the demo needs no undo,
    // and on a small machine they cost more time than the scripted steps themselves.
    private static string OpencodeConfig(ScriptedModelServer model)
    {
        JsonNode config = JsonNode.Parse(model.CreateOpencodeConfig())!;
        config["snapshot"] = false;
        return config.ToJsonString();
    }

    // The user's AETHERFLOW_* settings are for their own projects; the demo runs on its defaults. Its engine state and
    // session registry live in the throw-away folder (the socket stays in the runtime folder, for 'aetherflow status').
    private static Dictionary<string, string> EngineEnvironment(HostEnvironment user, string root)
    {
        Dictionary<string, string> variables = user.Variables
            .Where(v => !v.Key.StartsWith("AETHERFLOW_", StringComparison.Ordinal))
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        variables["XDG_STATE_HOME"] = Path.Combine(root, "state");
        variables["XDG_CONFIG_HOME"] = Path.Combine(root, "config");
        return variables;
    }

    private async Task<bool> IsLandedAsync(string id, CancellationToken cancellationToken)
    {
        string branch = GitRefs.LocalWorkBranch(id);
        return await git.RefExistsAsync(branch, cancellationToken).ConfigureAwait(false)
            && await git.IsAncestorAsync(branch, GitRefs.LocalBranch(DemoProject.BaseBranch), cancellationToken).ConfigureAwait(false);
    }

    private string TimeoutMessage(IReadOnlyList<DemoTaskStatus> statuses, TimeSpan timeout)
    {
        string pending = string.Join(", ", statuses.Where(s => !s.Finished).Select(s => $"{s.Task.Id} {TaskStatusNames.ToName(s.State)}"));
        string? decision = Host.Engine.Snapshot.Decisions.LastOrDefault()?.Message;
        return $"the demo did not finish within {DurationText.Format(timeout)}: {statuses.Count(s => s.Finished)} of {statuses.Count} tasks finished (not yet: {pending})"
            + (decision is null ? string.Empty : $"; last engine decision: {decision}")
            + $"; see {LogFile}";
    }

    private static void Cleanup(string root, bool keep)
    {
        if (!keep && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 6);
    }
}
