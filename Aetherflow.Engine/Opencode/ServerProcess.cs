using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Aetherflow.Engine.Platform;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// One run of <c>opencode serve</c> in its own session and process group (started through <c>setsid</c>, so the pid
/// is the group id), with its output drained into the log and the "listening" line watched for. Stopping signals the
/// whole group, so the tools opencode started (bash, …) go with it.
/// </summary>
/// <remarks>A deliberately small stand-in for the shared process-group helpers in <c>Platform/</c>.</remarks>
internal sealed partial class ServerProcess : IDisposable
{
    private const int OutputLinesKept = 30;

    private readonly Process process;
    private readonly ILogger logger;
    private readonly Queue<string> recentOutput = new();
    private readonly Lock outputLock = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task<int> exited;

    private ServerProcess(Process process, ILogger logger)
    {
        this.process = process;
        this.logger = logger;
        Id = process.Id;
        _ = DrainAsync(process.StandardOutput, "stdout");
        _ = DrainAsync(process.StandardError, "stderr");
        exited = WaitForExitAsync();
    }

    /// <summary>The pid, which is also the process group id.</summary>
    public int Id { get; }

    /// <summary>Completes with the server's URL once it printed <c>opencode server listening on …</c> (never, if it exits first).</summary>
    public Task<Uri> Listening => listening.Task;

    /// <summary>Completes with the exit code when the process exits.</summary>
    public Task<int> Exited => exited;

    /// <summary>The last lines the server printed, for error messages.</summary>
    public string RecentOutput
    {
        get
        {
            lock (outputLock)
            {
                return string.Join(" | ", recentOutput);
            }
        }
    }

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/> in a new session.</summary>
    /// <param name="executable">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">The complete environment (nothing is inherited).</param>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="lifetimeLimit">When set, coreutils <c>timeout</c> kills the group after this long even if we crash.</param>
    /// <param name="logger">Receives the output lines.</param>
    public static ServerProcess Start(
        string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan? lifetimeLimit, ILogger logger)
    {
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (lifetimeLimit is TimeSpan limit)
        {
            info.ArgumentList.Add("timeout");
            info.ArgumentList.Add("--signal=KILL");
            info.ArgumentList.Add(Math.Ceiling(limit.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        info.ArgumentList.Add(executable);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach ((string name, string value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        process.StandardInput.Close();
        return new ServerProcess(process, logger);
    }

    /// <summary>Sends <paramref name="signal"/> to the whole process group; false when the group is already gone.</summary>
    public bool SignalGroup(int signal)
    {
        if (UnixNative.Kill(-Id, signal) == 0)
        {
            return true;
        }

        int error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (error != UnixNative.ESRCH)
        {
            logger.LogWarning("Could not send signal {Signal} to opencode process group {Pgid}: errno {Errno}", signal, Id, error);
        }

        return false;
    }

    /// <summary>SIGTERM to the group, then SIGKILL after <paramref name="grace"/>; completes when the process exited.</summary>
    public async Task TerminateAsync(TimeSpan grace, TimeProvider timeProvider)
    {
        if (!exited.IsCompleted)
        {
            SignalGroup(UnixNative.SIGTERM);
            using var graceOver = new CancellationTokenSource();
            Task delay = Task.Delay(grace, timeProvider, graceOver.Token);
            if (await Task.WhenAny(exited, delay).ConfigureAwait(false) != exited)
            {
                logger.LogWarning("opencode server (pid {Pid}) did not stop within {Grace}s of SIGTERM; sending SIGKILL", Id, grace.TotalSeconds);
            }

            await graceOver.CancelAsync().ConfigureAwait(false);
        }

        // Also after a clean exit: children that outlived the server (a tool's subprocess) must not linger.
        SignalGroup(UnixNative.SIGKILL);
        await exited.ConfigureAwait(false);
    }

    public void Dispose() => process.Dispose();

    private async Task<int> WaitForExitAsync()
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    private async Task DrainAsync(StreamReader reader, string stream)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is string line)
            {
                logger.LogDebug("opencode[{Pid}] {Stream}: {Line}", Id, stream, line);
                lock (outputLock)
                {
                    recentOutput.Enqueue(line.Trim());
                    while (recentOutput.Count > OutputLinesKept)
                    {
                        recentOutput.Dequeue();
                    }
                }

                if (ListeningLine().Match(line) is { Success: true } match && Uri.TryCreate(match.Groups["url"].Value, UriKind.Absolute, out Uri? url))
                {
                    listening.TrySetResult(url);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            logger.LogDebug("opencode[{Pid}] {Stream} closed: {Error}", Id, stream, ex.Message);
        }
    }

    [GeneratedRegex(@"opencode server listening on (?<url>http://\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();
}
