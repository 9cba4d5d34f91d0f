using System.CommandLine;
using System.Reflection;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Rpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow --headless -d</c>: starts the same command line without <c>-d</c> as a background process in its
/// own session, with its output in a log file, and returns only once that engine answers on its socket (or says why
/// it could not start).
/// </summary>
internal static class DetachedEngine
{
    public static async Task<int> StartAsync(ParseResult result, CliHost host, AetherflowConfig config, TimeSpan readiness, CancellationToken cancellationToken)
    {
        var paths = AetherflowPaths.From(host.Environment);
        var endpoint = EngineEndpoint.For(paths, config.Project);
        string logFile = Path.Combine(paths.ProjectStateDirectory(config.Project), "headless.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        (string executable, List<string> arguments) = OwnCommandLine();
        var launcher = new ProcessGroupLauncher(host.Environment, host.TimeProvider, NullLogger.Instance);
        ChildProcess child;
        try
        {
            child = launcher.Start(new ProcessLaunch { Executable = executable, Arguments = arguments, WorkingDirectory = host.WorkingDirectory, LogFile = logFile });
        }
        catch (ProcessLaunchException ex)
        {
            return CommandOutput.Fail(result, $"cannot start the background engine: {ex.Message}");
        }

        DateTimeOffset deadline = host.TimeProvider.GetUtcNow() + readiness;
        while (host.TimeProvider.GetUtcNow() < deadline)
        {
            if (child.Exited.IsCompleted)
            {
                ChildExit exit = await child.Exited.ConfigureAwait(false);
                return CommandOutput.Fail(result, $"the background engine {exit.Description}: {LastLine(logFile)} (log: {logFile})");
            }

            try
            {
                await using EngineClient client = await EngineClient.ConnectAsync(endpoint.SocketPath, cancellationToken).ConfigureAwait(false);
                EngineIdentity identity = await client.HelloAsync(cancellationToken).ConfigureAwait(false);
                if (identity.Pid == child.Pid)
                {
                    CommandOutput.Out(result).WriteLine($"aetherflow engine for project '{config.Project}' started in the background (pid {child.Pid})");
                    CommandOutput.Out(result).WriteLine($"  socket: {endpoint.SocketPath}");
                    CommandOutput.Out(result).WriteLine($"  log:    {logFile}");
                    CommandOutput.Out(result).WriteLine("  stop it with 'aetherflow shutdown'");
                    return ExitCodes.Success;
                }
            }
            catch (Exception ex) when (ex is EngineNotRunningException or IOException or StreamJsonRpc.ConnectionLostException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), host.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        await child.StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        return CommandOutput.Fail(result, $"the background engine did not answer within {readiness.TotalSeconds:0}s and was stopped (log: {logFile})");
    }

    private static (string Executable, List<string> Arguments) OwnCommandLine()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown");
        List<string> arguments = Environment.GetCommandLineArgs().Skip(1).Where(a => a is not ("-d" or "--detach")).ToList();
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            // Running as `dotnet aetherflow.dll`: start the same assembly the same way.
            arguments.Insert(0, Assembly.GetEntryAssembly()!.Location);
        }

        return (process, arguments);
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
}
