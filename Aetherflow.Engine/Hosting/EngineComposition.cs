using Aetherflow.Engine.Config;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Git;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Prompts;
using Aetherflow.Engine.Runtimes;
using Aetherflow.Engine.Runtimes.Command;
using Aetherflow.Engine.Scheduling;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Tasks.Prog;
using Aetherflow.Engine.Worktrees;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// Chooses the engine's components from the configuration: the tracker (<c>task_source</c>), the agent runtime
/// (<c>runtime</c>), worktrees, prompts and the review reconciler. Problems that make agents impossible are
/// <see cref="EngineSetupException"/> with one line to act on; problems the engine can live with become warnings.
/// </summary>
public static class EngineComposition
{
    /// <summary>Builds the components for <paramref name="config"/>.</summary>
    public static async Task<EngineComponents?> CreateAsync(AetherflowConfig config, EngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ILogger logger = options.LoggerFactory.CreateLogger(typeof(EngineComposition));
        var warnings = new List<string>();
        var paths = AetherflowPaths.From(options.Environment);
        var ledger = new ProcessLedger(Path.Combine(paths.ProjectStateDirectory(config.Project), "processes.json"), options.TimeProvider, options.LoggerFactory.CreateLogger<ProcessLedger>());
        IReadOnlyList<string> orphans = await ledger.StopOrphansAsync(cancellationToken).ConfigureAwait(false);
        options = options with { Ledger = ledger };
        ITaskSource tasks = CreateTaskSource(config, options);
        var prompts = new TaskPrompts(LoadPrompts(config, logger), PromptOptions.FromConfig(config));

        var git = new GitClient(config.ProjectDirectory, new GitClientOptions { Environment = options.Environment.Variables.ToDictionary(v => v.Key, v => (string?)v.Value), Logger = options.LoggerFactory.CreateLogger<GitClient>() });
        var worktrees = new WorktreeManager(
            git,
            new WorktreeOptions { Remote = config.Remote, BaseBranch = config.BaseBranch, PreferLocalBase = config.Solo },
            options.LoggerFactory.CreateLogger<WorktreeManager>());
        ReviewReconciler? reconciler = null;
        try
        {
            await worktrees.EnsureEngineFilesExcludedAsync(cancellationToken).ConfigureAwait(false);
            reconciler = new ReviewReconciler(
                tasks,
                git,
                worktrees,
                new ReviewReconcilerOptions { Remote = config.Remote, BaseBranch = config.BaseBranch, Interval = config.ReconcileInterval, TimeProvider = options.TimeProvider },
                options.LoggerFactory.CreateLogger<ReviewReconciler>());
        }
        catch (GitException ex)
        {
            string warning = $"{config.ProjectDirectory} is not a usable git repository ({ex.FirstErrorLine}); agents work in git worktrees — run 'git init' and commit once";
            logger.LogWarning("{Warning}", warning);
            warnings.Add(warning);
        }

        var workspaces = new WorktreeWorkspaces(worktrees);
        if (config.Runtime == "command")
        {
            return new EngineComponents
            {
                Tasks = tasks,
                Runtime = CreateCommandRuntime(config, options),
                Workspaces = workspaces,
                Prompts = prompts,
                Reconciler = reconciler,
                Warnings = warnings,
                StartupNotes = orphans,
            };
        }

        var events = new SessionEventStore(
            new SessionEventStoreOptions
            {
                JournalDirectory = Path.Combine(paths.ProjectStateDirectory(config.Project), "journals"),
                MaxEventsPerSession = config.EventBufferEvents,
            },
            options.TimeProvider,
            options.LoggerFactory.CreateLogger<SessionEventStore>());
        var inventory = new DeferredSessionInventory();
        var registry = new SessionRegistry(
            SessionRegistryOptions.FromConfig(config, paths),
            inventory,
            options.TimeProvider,
            options.LoggerFactory.CreateLogger<SessionRegistry>());
        OpencodeBackend backend;
        try
        {
            backend = await OpencodeBackend.StartAsync(config, options, events, registry, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineSetupException ex)
        {
            // The engine still runs — its dashboard, socket and tracker work — and says why no agent can start.
            events.Dispose();
            logger.LogError("{Reason}", ex.Message);
            warnings.Add(ex.Message);
            return new EngineComponents
            {
                Tasks = tasks,
                Runtime = new UnavailableRuntime("opencode", ex.Message),
                Workspaces = workspaces,
                Prompts = prompts,
                Reconciler = reconciler,
                Warnings = warnings,
                StartupNotes = orphans,
            };
        }

        var serverInventory = new OpencodeSessionInventory(backend.Client, backend.ServerRef);
        inventory.Attach(serverInventory);
        return new EngineComponents
        {
            Tasks = tasks,
            Runtime = backend.Runtime,
            Workspaces = workspaces,
            Prompts = prompts,
            Sessions = new RegistryResumableSessions(registry, options.LoggerFactory.CreateLogger<RegistryResumableSessions>()),
            Reconciler = reconciler,
            Events = events,
            Registry = registry,
            Housekeeping = new SessionHousekeeping(registry, serverInventory, TimeSpan.FromMinutes(5), TimeSpan.FromHours(48), options.TimeProvider, options.LoggerFactory.CreateLogger<SessionHousekeeping>()),
            Opencode = backend,
            PluginEvents = backend.PluginEvents,
            Warnings = warnings,
            StartupNotes = orphans,
            Owned = [new DisposeAction(() => events.Dispose()), backend],
        };
    }

    /// <summary>The environment agents run in: the engine's, with the folder of the <c>aetherflow</c> CLI first on PATH.</summary>
    public static HostEnvironment AgentEnvironment(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CliDirectory is not { } cliDirectory)
        {
            return options.Environment;
        }

        var variables = new Dictionary<string, string>(options.Environment.Variables, StringComparer.Ordinal);
        variables["PATH"] = variables.TryGetValue("PATH", out string? path) && path.Length > 0 ? $"{cliDirectory}:{path}" : cliDirectory;
        return new HostEnvironment(variables);
    }

    private static ITaskSource CreateTaskSource(AetherflowConfig config, EngineOptions options) => config.TaskSource switch
    {
        "prog" => new ProgTaskSource(ProgOptions.From(config, options)),
        _ => new BuiltinTaskStore(new BuiltinTaskStoreOptions
        {
            ProjectDirectory = config.ProjectDirectory,
            ProjectName = config.Project,
            TimeProvider = options.TimeProvider,
            Logger = options.LoggerFactory.CreateLogger<BuiltinTaskStore>(),
        }),
    };

    private static IAgentRuntime CreateCommandRuntime(AetherflowConfig config, EngineOptions options)
    {
        var paths = AetherflowPaths.From(options.Environment);
        ILogger logger = options.LoggerFactory.CreateLogger<CommandRuntime>();
        return new CommandRuntime(
            new CommandRuntimeOptions { SpawnCommand = config.SpawnCmd, LogDirectory = Path.Combine(paths.ProjectStateDirectory(config.Project), "agents") },
            new ProcessGroupLauncher(AgentEnvironment(options), options.TimeProvider, logger) { Ledger = options.Ledger },
            options.TimeProvider,
            logger);
    }

    private static PromptLibrary LoadPrompts(AetherflowConfig config, ILogger logger)
    {
        try
        {
            PromptLibrary library = PromptLibrary.Load(config.PromptDir, config.ProjectDirectory);
            logger.LogInformation("Prompts: {Summary}", library.Summary);
            foreach (string warning in library.Warnings)
            {
                logger.LogWarning("Prompts: {Warning}", warning);
            }

            return library;
        }
        catch (PromptException ex)
        {
            throw new EngineSetupException(ex.Message, ex);
        }
    }
}
