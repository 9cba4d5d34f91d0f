using Aetherflow.Engine.Config;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Prompts;
using Aetherflow.Engine.Runtimes;
using Aetherflow.Engine.Runtimes.Command;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Prog;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// Chooses the engine's components from the configuration: the tracker (<c>task_source</c>), the agent runtime
/// (<c>runtime</c>), worktrees and prompts. Problems are <see cref="EngineSetupException"/> with one line to act on.
/// </summary>
public static class EngineComposition
{
    /// <summary>Builds the components, or null while a chosen part is not available in this build.</summary>
    public static Task<EngineComponents?> CreateAsync(AetherflowConfig config, EngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ITaskSource? tasks = CreateTaskSource(config, options);
        IAgentRuntime? runtime = CreateRuntime(config, options);
        var prompts = new TaskPrompts(LoadPrompts(config, options), PromptOptions.FromConfig(config));
        if (tasks is null || runtime is null)
        {
            return Task.FromResult<EngineComponents?>(null);
        }

        return Task.FromResult<EngineComponents?>(null);
    }

    private static ITaskSource? CreateTaskSource(AetherflowConfig config, EngineOptions options) => config.TaskSource switch
    {
        "prog" => new ProgTaskSource(ProgOptions.From(config, options)),
        _ => null,
    };

    private static IAgentRuntime? CreateRuntime(AetherflowConfig config, EngineOptions options)
    {
        if (config.Runtime != "command")
        {
            return null;
        }

        var paths = AetherflowPaths.From(options.Environment);
        ILogger logger = options.LoggerFactory.CreateLogger<CommandRuntime>();
        return new CommandRuntime(
            new CommandRuntimeOptions { SpawnCommand = config.SpawnCmd, LogDirectory = Path.Combine(paths.ProjectStateDirectory(config.Project), "agents") },
            new ProcessGroupLauncher(options.Environment, options.TimeProvider, logger),
            options.TimeProvider,
            logger);
    }

    private static PromptLibrary LoadPrompts(AetherflowConfig config, EngineOptions options)
    {
        try
        {
            PromptLibrary library = PromptLibrary.Load(config.PromptDir, config.ProjectDirectory);
            ILogger logger = options.LoggerFactory.CreateLogger(typeof(EngineComposition));
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
