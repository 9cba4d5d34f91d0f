using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Platform;

/// <summary>
/// A program started by <see cref="ProcessGroupLauncher"/>: the leader of its own session and process group
/// (<see cref="ProcessGroupId"/> equals <see cref="Pid"/>). Everything it starts stays in that group unless it leaves
/// on purpose, so signals sent with <see cref="SignalGroup"/> and <see cref="StopAsync"/> reach the whole tree.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly TaskCompletionSource<ChildExit> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    internal ChildProcess(int pid, string program, string logFile, DateTimeOffset startedAt, TimeProvider timeProvider, ILogger logger)
    {
        Pid = pid;
        Program = program;
        LogFile = logFile;
        StartedAt = startedAt;
        this.timeProvider = timeProvider;
        this.logger = logger;

        // The runtime does not know this child, so nothing else reaps it. A blocking waitpid on a thread of its own
        // sees the exit itself — not the end of any stream a grandchild may still hold open (the original's stuck reap).
        var waiter = new Thread(WaitForExit, maxStackSize: 256 * 1024) { IsBackground = true, Name = $"waitpid {pid}" };
        waiter.Start();
    }

    /// <summary>The process id of the program (not of a wrapper).</summary>
    public int Pid { get; }

    /// <summary>The id of the process group (and session) the program leads: always <see cref="Pid"/>.</summary>
    public int ProcessGroupId => Pid;

    /// <summary>The full path of the program that was executed.</summary>
    public string Program { get; }

    /// <summary>The file that receives the program's stdout and stderr.</summary>
    public string LogFile { get; }

    /// <summary>When the program was started, on the launcher's clock.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>
    /// Completes when the program itself has exited, even if processes it started live on and hold its log file open.
    /// Never faults.
    /// </summary>
    public Task<ChildExit> Exited => exited.Task;

    /// <summary>
    /// True while the program runs: <c>kill(pid, 0)</c> succeeds, or fails with <c>EPERM</c> (the process exists but
    /// may not be signalled). False once it has been reaped, so a recycled pid is never mistaken for it.
    /// </summary>
    public bool IsAlive()
    {
        if (exited.Task.IsCompleted)
        {
            return false;
        }

        return UnixNative.Kill(Pid, 0) == 0 || Marshal.GetLastPInvokeError() == UnixNative.EPERM;
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to every process in the group (<c>kill(-pgid, signal)</c>). Returns false when no
    /// process is left in the group.
    /// </summary>
    public bool SignalGroup(int signal)
    {
        if (UnixNative.Kill(-ProcessGroupId, signal) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno == UnixNative.ESRCH)
        {
            return false;
        }

        throw new IOException($"could not send signal {signal} to process group {ProcessGroupId} ({Program}): {PosixSpawn.Message(errno)}");
    }

    /// <summary>
    /// Stops the whole process group: SIGTERM, then — once the program has exited or <paramref name="grace"/> has passed
    /// on the launcher's clock, whichever comes first — SIGKILL to whatever is left of the group, so that no helper the
    /// program started outlives the stop. Returns how the program ended. When <paramref name="cancellationToken"/> fires
    /// during the grace period the group is killed at once and the wait is abandoned.
    /// </summary>
    public async Task<ChildExit> StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        // Checked before anything is signalled: Task.Delay refuses more than about 49 days.
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(grace, TimeSpan.FromMilliseconds(uint.MaxValue - 1));
        SignalGroup(UnixNative.SIGTERM);
        if (!exited.Task.IsCompleted)
        {
            using var graceOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task delay = Task.Delay(grace, timeProvider, graceOver.Token);
            Task first = await Task.WhenAny(exited.Task, delay).ConfigureAwait(false);
            await graceOver.CancelAsync().ConfigureAwait(false);
            if (first != exited.Task && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Pid {Pid} ({Program}) did not exit within {Grace} of SIGTERM; killing its process group", Pid, Program, grace);
            }
        }

        // Group members got the same SIGTERM; waiting for each of them as well would mean polling the group, and a
        // zombie that an init which does not reap leaves behind would count as alive until the grace ran out.
        SignalGroup(UnixNative.SIGKILL);
        return await exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills whatever is left of the process group and waits until the program has been reaped.</summary>
    public async ValueTask DisposeAsync()
    {
        SignalGroup(UnixNative.SIGKILL);
        await exited.Task.ConfigureAwait(false);
    }

    private void WaitForExit()
    {
        while (true)
        {
            int result = UnixNative.WaitPid(Pid, out int status, 0);
            if (result == Pid)
            {
                ChildExit exit = ChildExit.FromWaitStatus(status);
                logger.LogDebug("Pid {Pid} ({Program}) {Exit}", Pid, Program, exit.Description);
                exited.TrySetResult(exit);
                return;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == UnixNative.EINTR)
            {
                continue;
            }

            // ECHILD: something else reaped it (the .NET runtime reaps every child when the engine was started with
            // SIGCHLD ignored), so it is gone but its status is lost.
            logger.LogWarning("Lost the exit status of pid {Pid} ({Program}): waitpid failed: {Error}", Pid, Program, PosixSpawn.Message(errno));
            exited.TrySetResult(new ChildExit(null, null));
            return;
        }
    }
}
