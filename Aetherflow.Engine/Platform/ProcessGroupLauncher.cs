using Aetherflow.Engine.Hosting;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Platform;

/// <summary>
/// Starts programs as leaders of their own session and process group, so that the whole tree they create can be
/// signalled at once and the terminal's Ctrl+C and hang-up never reach them. Stdin is <c>/dev/null</c>; stdout and
/// stderr go to a log file, never to a pipe someone must drain. See <see cref="ChildProcess"/> for stopping.
/// </summary>
public sealed class ProcessGroupLauncher
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly HostEnvironment environment;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    /// <summary>Where started process groups are recorded, so a crashed engine's successor can stop them; null records nothing.</summary>
    public ProcessLedger? Ledger { get; init; }

    /// <param name="environment">The base environment of every child; <see cref="ProcessLaunch.Environment"/> adds to it.</param>
    /// <param name="timeProvider">The clock for stop grace periods.</param>
    /// <param name="logger">Receives start, exit and stop-escalation messages.</param>
    public ProcessGroupLauncher(HostEnvironment environment, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.environment = environment;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>
    /// Starts <paramref name="launch"/> and returns once the program runs (it has been exec'd, in its new session).
    /// Throws <see cref="ProcessLaunchException"/> with a one-line reason when it cannot be started.
    /// </summary>
    public ChildProcess Start(ProcessLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (string.IsNullOrWhiteSpace(launch.Executable))
        {
            throw new ProcessLaunchException("no program to start: the command is empty");
        }

        RejectNul(launch.Executable, "the program name");
        foreach (string argument in launch.Arguments)
        {
            RejectNul(argument, "an argument");
        }

        string workingDirectory = Path.GetFullPath(launch.WorkingDirectory);
        if (!Directory.Exists(workingDirectory))
        {
            throw new ProcessLaunchException($"cannot start '{launch.Executable}' in {workingDirectory}: the folder does not exist");
        }

        Dictionary<string, string> variables = MergeEnvironment(launch.Environment);
        string program = ExecutableSearch.Resolve(launch.Executable, variables.GetValueOrDefault("PATH"), workingDirectory);
        string logFile = PrepareLogFile(launch.LogFile);

        // argv[0] is the name as given, the way a shell passes it; the program itself is found through its full path.
        string[] argv = [launch.Executable, .. launch.Arguments];
        string[] environmentBlock = [.. variables.Select(pair => pair.Key + "=" + pair.Value)];
        int pid = PosixSpawn.Spawn(program, argv, environmentBlock, workingDirectory, logFile);
        logger.LogDebug("Started {Program} as pid {Pid} in {WorkingDirectory}, output to {LogFile}", program, pid, workingDirectory, logFile);
        var child = new ChildProcess(pid, program, logFile, timeProvider.GetUtcNow(), timeProvider, logger);
        if (Ledger is { } ledger)
        {
            ledger.Record(pid, "process", Path.GetFileName(launch.LogFile));
            child.Exited.ContinueWith(_ => ledger.Forget(pid), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return child;
    }

    private Dictionary<string, string> MergeEnvironment(IReadOnlyDictionary<string, string> additions)
    {
        var variables = new Dictionary<string, string>(environment.Variables, StringComparer.Ordinal);
        foreach ((string name, string value) in additions)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ProcessLaunchException($"invalid environment variable name '{name}': names must be non-empty and contain no '=' or NUL");
            }

            RejectNul(value, $"environment variable {name}");
            variables[name] = value;
        }

        return variables;
    }

    private static string PrepareLogFile(string path)
    {
        string full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            throw new ProcessLaunchException($"log file {full} is a symbolic link; remove it so the log cannot be redirected elsewhere");
        }

        if (Directory.Exists(full))
        {
            throw new ProcessLaunchException($"log file {full} is a folder; remove it or choose another log folder");
        }

        try
        {
            // Created here rather than by the child so a failure is reported with the path, and the mode is exact.
            using (new FileStream(full, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite }))
            {
            }

            if (File.GetUnixFileMode(full) != OwnerReadWrite)
            {
                File.SetUnixFileMode(full, OwnerReadWrite);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProcessLaunchException($"cannot open log file {full}: {ex.Message}", ex);
        }

        return full;
    }

    private static void RejectNul(string text, string what)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ProcessLaunchException($"{what} contains a NUL character, which a program's arguments and environment cannot carry");
        }
    }
}
