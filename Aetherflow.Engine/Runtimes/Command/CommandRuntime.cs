using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Runtimes.Command;

/// <summary>
/// Runs each agent as a <c>spawn_cmd</c> child process: the command's words plus the rendered prompt as the last
/// argument, no shell in between, in the agent's worktree, in a session and process group of its own, with stdout and
/// stderr in <c>&lt;log folder&gt;/&lt;agent&gt;.log</c>. This runtime has no sessions.
/// </summary>
public sealed class CommandRuntime : IAgentRuntime
{
    /// <summary>The value of the <c>runtime</c> setting that selects this runtime.</summary>
    public const string RuntimeName = "command";

    /// <summary>The variable that tells the agent its name.</summary>
    public const string AgentIdVariable = "AETHERFLOW_AGENT_ID";

    /// <summary>The variable that tells the agent its task id (pool agents) or spawn id (spawned agents).</summary>
    public const string WorkIdVariable = "AETHERFLOW_WORK_ID";

    private readonly CommandRuntimeOptions options;
    private readonly ProcessGroupLauncher launcher;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    public CommandRuntime(CommandRuntimeOptions options, ProcessGroupLauncher launcher, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options;
        this.launcher = launcher;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <inheritdoc />
    public string Name => RuntimeName;

    /// <inheritdoc />
    /// <remarks><see cref="AgentLaunch.ResumeSessionId"/> is ignored: a plain command has no session to resume.</remarks>
    public Task<IAgentHandle> StartAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        cancellationToken.ThrowIfCancellationRequested();

        // The name becomes a file name in the log folder.
        if (!Identifiers.IsTaskId(launch.AgentName))
        {
            throw new AgentLaunchException($"invalid agent name '{launch.AgentName}': {Identifiers.ProjectNameRule}");
        }

        IReadOnlyList<string> words = SplitSpawnCommand();
        string logFile = PrepareLogFile(launch.AgentName);
        var environment = new Dictionary<string, string>(launch.Environment, StringComparer.Ordinal)
        {
            [AgentIdVariable] = launch.AgentName,
            [WorkIdVariable] = launch.WorkId,
        };

        ChildProcess child;
        try
        {
            child = launcher.Start(new ProcessLaunch
            {
                Executable = words[0],
                Arguments = [.. words.Skip(1), launch.Prompt],
                WorkingDirectory = launch.WorkingDirectory,
                Environment = environment,
                LogFile = logFile,
            });
        }
        catch (ProcessLaunchException ex)
        {
            throw new AgentLaunchException($"spawn_cmd: {ex.Message}", ex);
        }

        logger.LogInformation(
            "Agent {Agent} ({Role}, {WorkId}) started as pid {Pid}: {Program} in {WorkingDirectory}, log {LogFile}",
            launch.AgentName, launch.Role, launch.WorkId, child.Pid, child.Program, launch.WorkingDirectory, logFile);
        return Task.FromResult<IAgentHandle>(new CommandAgentHandle(launch.AgentName, child, timeProvider, logger));
    }

    private IReadOnlyList<string> SplitSpawnCommand()
    {
        IReadOnlyList<string> words;
        try
        {
            words = ShellWords.Split(options.SpawnCommand);
        }
        catch (FormatException ex)
        {
            throw new AgentLaunchException($"spawn_cmd has an {ex.Message}; fix the quoting in spawn_cmd", ex);
        }

        return words.Count > 0 && words[0].Length > 0
            ? words
            : throw new AgentLaunchException("spawn_cmd is empty; set spawn_cmd to the command that runs one agent");
    }

    private string PrepareLogFile(string agentName)
    {
        try
        {
            PrivateDirectory.Ensure(options.LogDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentLaunchException($"cannot create the agent log folder {options.LogDirectory}: {ex.Message}", ex);
        }

        return Path.Combine(options.LogDirectory, agentName + ".log");
    }
}
