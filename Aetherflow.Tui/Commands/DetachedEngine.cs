using System.CommandLine;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Rpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Starts a headless engine as a background process in its own session, with its output in a log file, and returns
/// only once that engine answers on its socket (or says why it could not start): <c>aetherflow --headless -d</c>, and
/// <c>aetherflow spawn</c> when no engine runs yet.
/// </summary>
internal static class DetachedEngine
{
    /// <summary><c>--headless -d</c>: the same command line without <c>-d</c>, in the background.</summary>
    public static async Task<int> StartAsync(ParseResult result, CliHost host, AetherflowConfig config, TimeSpan readiness, CancellationToken cancellationToken)
    {
        List<string> arguments = Environment.GetCommandLineArgs().Skip(1).Where(a => a is not ("-d" or "--detach")).ToList();
        Started? started = await LaunchAsync(result, host, config, arguments, host.WorkingDirectory, readiness, cancellationToken).ConfigureAwait(false);
        if (started is null)
        {
            return ExitCodes.Failure;
        }

        TextWriter output = CommandOutput.Out(result);
        output.WriteLine($"aetherflow engine for project '{config.Project}' started in the background (pid {started.Pid})");
        output.WriteLine($"  socket: {started.SocketPath}");
        output.WriteLine($"  log:    {started.LogFile}");
        output.WriteLine("  stop it with 'aetherflow shutdown'");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Starts <c>aetherflow --headless -p &lt;project&gt;</c> in the project folder for a command that needs an engine;
    /// null (with the reason on stderr) when it did not come up.
    /// </summary>
    public static Task<Started?> StartForProjectAsync(ParseResult result, CliHost host, AetherflowConfig config, TimeSpan readiness, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        List<string> arguments = ["--headless", "--project", config.Project];
        if (config.ConfigFile is { } file)
        {
            arguments.AddRange(["--config", file]);
        }

        return LaunchAsync(result, host, config, arguments, config.ProjectDirectory, readiness, cancellationToken);
    }

    private static async Task<Started?> LaunchAsync(
        ParseResult result, CliHost host, AetherflowConfig config, List<string> arguments, string workingDirectory, TimeSpan readiness, CancellationToken cancellationToken)
    {
        var paths = AetherflowPaths.From(host.Environment);
        var endpoint = EngineEndpoint.For(paths, config.Project);
        string logFile = Path.Combine(paths.ProjectStateDirectory(config.Project), "headless.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        string executable = OwnExecutable(arguments);
        var launcher = new ProcessGroupLauncher(host.Environment, host.TimeProvider, NullLogger.Instance);
        ChildProcess child;
        try
        {
            child = launcher.Start(new ProcessLaunch { Executable = executable, Arguments = arguments, WorkingDirectory = workingDirectory, LogFile = logFile });
        }
        catch (ProcessLaunchException ex)
        {
            CommandOutput.Fail(result, $"cannot start the background engine: {ex.Message}");
            return null;
        }

        DateTimeOffset deadline = host.TimeProvider.GetUtcNow() + readiness;
        while (host.TimeProvider.GetUtcNow() < deadline)
        {
            if (child.Exited.IsCompleted)
            {
                ChildExit exit = await child.Exited.ConfigureAwait(false);
                CommandOutput.Fail(result, $"the background engine {exit.Description}: {LastLine(logFile)} (log: {logFile})");
                return null;
            }

            try
            {
                await using EngineClient client = await EngineClient.ConnectAsync(endpoint.SocketPath, cancellationToken).ConfigureAwait(false);
                EngineIdentity identity = await client.HelloAsync(cancellationToken).ConfigureAwait(false);
                if (identity.Pid == child.Pid)
                {
                    return new Started(child.Pid, endpoint.SocketPath, logFile);
                }
            }
            catch (Exception ex) when (ex is EngineNotRunningException or IOException or StreamJsonRpc.ConnectionLostException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), host.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        await child.StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        CommandOutput.Fail(result, $"the background engine did not answer within {readiness.TotalSeconds:0}s and was stopped (log: {logFile})");
        return null;
    }

    // This program again; run as `dotnet aetherflow.dll`, the same assembly the same way (found by its folder: an
    // assembly's Location is empty in a single-file or Native AOT build, which never runs under `dotnet` anyway).
    private static string OwnExecutable(List<string> arguments)
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            arguments.Insert(0, Path.Combine(AppContext.BaseDirectory, $"{typeof(DetachedEngine).Assembly.GetName().Name}.dll"));
        }

        return process;
    }

    private static string LastLine(string logFile)
    {
        try
        {
            return File.ReadLines(logFile).LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "no output";
        }
        catch (IOException)
        {
            return "no output";
        }
    }

    /// <summary>A background engine that answered.</summary>
    public sealed record Started(int Pid, string SocketPath, string LogFile);
}
