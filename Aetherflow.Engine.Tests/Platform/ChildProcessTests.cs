using System.Globalization;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Platform;

public sealed class ChildProcessTests
{
    private const int SIGKILL = 9;
    private const int SIGTERM = 15;

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private TempDirectory temp = null!;

    [SetUp]
    public void SetUp() => temp = new TempDirectory("child");

    [TearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public async Task The_exit_code_is_reported()
    {
        await using ChildProcess child = Start("exit 3");

        ChildExit exit = await Eventually.WithinAsync(child.Exited, "the child to exit");

        Assert.That(exit, Is.EqualTo(new ChildExit(3, null)));
        Assert.That(exit.Succeeded, Is.False);
        Assert.That(exit.Description, Is.EqualTo("exited with code 3"));
    }

    [Test]
    public async Task Death_by_signal_is_reported_as_128_plus_the_signal()
    {
        await using ChildProcess child = Start("kill -KILL $$");

        ChildExit exit = await Eventually.WithinAsync(child.Exited, "the child to exit");

        Assert.That(exit, Is.EqualTo(new ChildExit(137, SIGKILL)));
        Assert.That(exit.Description, Is.EqualTo("killed by signal 9 (SIGKILL)"));
    }

    [Test]
    public async Task Children_the_dotnet_runtime_reaps_do_not_take_our_exit_status()
    {
        // Once Process has been used, the runtime handles SIGCHLD; it must reap only its own children, not ours.
        using var dotnetChild = System.Diagnostics.Process.Start("sleep", "0.2");
        await using ChildProcess child = Start("exit 7");

        await dotnetChild.WaitForExitAsync().WaitAsync(Eventually.DefaultTimeout);
        ChildExit exit = await Eventually.WithinAsync(child.Exited, "the child to exit");

        Assert.That(exit, Is.EqualTo(new ChildExit(7, null)));
    }

    [Test]
    public async Task A_grandchild_holding_the_log_file_open_does_not_delay_Exited()
    {
        // The original's "reap stuck on Wait": the agent exits, an MCP server it started keeps stdout open.
        await using ChildProcess child = Start("sleep 300 & echo $! > grandchild.pid; echo bye");

        ChildExit exit = await Eventually.WithinAsync(child.Exited, "the child to exit while its grandchild runs");

        int grandchild = await ReadPidAsync("grandchild.pid");
        Assert.That(exit.Succeeded, Is.True);
        Assert.That(ProcStat.IsGone(grandchild), Is.False, "the grandchild still runs and holds the log file");
        Assert.That(child.SignalGroup(SIGKILL), Is.True, "the grandchild is still in the group");
        await Eventually.TrueAsync(() => ProcStat.IsGone(grandchild), "the grandchild to die");
    }

    [Test]
    public async Task IsAlive_turns_false_after_an_external_kill()
    {
        await using ChildProcess child = Start("exec sleep 300");
        Assert.That(child.IsAlive(), Is.True);

        Assert.That(UnixNative.Kill(child.Pid, SIGKILL), Is.Zero);

        await Eventually.TrueAsync(() => !child.IsAlive(), "IsAlive to report the killed child");
        ChildExit exit = await Eventually.WithinAsync(child.Exited, "the child to be reaped");
        Assert.That(exit.Signal, Is.EqualTo(SIGKILL));
    }

    [Test]
    public async Task Stop_reaches_a_grandchild_that_ignores_SIGTERM()
    {
        // The leader dies of SIGTERM at once; the grandchild ignores it and would survive a stop of the leader alone.
        await using ChildProcess child = Start("(trap '' TERM; exec sleep 300) & echo $! > grandchild.pid; wait");
        int grandchild = await ReadPidAsync("grandchild.pid");
        await WaitUntilIgnoresTermAsync(grandchild);

        ChildExit exit = await Eventually.WithinAsync(child.StopAsync(TimeSpan.FromSeconds(30), CancellationToken.None), "the stop to finish");

        Assert.That(exit, Is.EqualTo(new ChildExit(128 + SIGTERM, SIGTERM)));
        await Eventually.TrueAsync(() => ProcStat.IsGone(grandchild), "the grandchild to be killed with its group");
    }

    [Test]
    public async Task A_child_that_ignores_SIGTERM_is_killed_when_the_grace_period_ends()
    {
        await using ChildProcess child = Start("trap '' TERM; exec sleep 300");
        await WaitUntilIgnoresTermAsync(child.Pid);

        Task<ChildExit> stop = child.StopAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.That(stop.IsCompleted, Is.False);
        Assert.That(child.IsAlive(), Is.True, "SIGTERM is ignored and the grace period has not ended");

        clock.Advance(TimeSpan.FromSeconds(1));
        ChildExit exit = await Eventually.WithinAsync(stop, "the stop to finish after the grace period");
        Assert.That(exit, Is.EqualTo(new ChildExit(137, SIGKILL)));
    }

    [Test]
    public async Task A_child_that_exits_on_SIGTERM_is_stopped_without_waiting_for_the_grace_period()
    {
        await using ChildProcess child = Start("exec sleep 300");

        // The clock never moves: only the child's own exit can end this stop.
        ChildExit exit = await Eventually.WithinAsync(child.StopAsync(TimeSpan.FromHours(1), CancellationToken.None), "the stop to finish");

        Assert.That(exit.Description, Is.EqualTo("killed by signal 15 (SIGTERM)"));
    }

    [Test]
    public async Task Cancelling_a_stop_kills_the_group_at_once()
    {
        await using ChildProcess child = Start("trap '' TERM; exec sleep 300");
        await WaitUntilIgnoresTermAsync(child.Pid);
        using var cancel = new CancellationTokenSource();

        Task<ChildExit> stop = child.StopAsync(TimeSpan.FromHours(1), cancel.Token);
        await cancel.CancelAsync();

        Assert.That(async () => await stop, Throws.InstanceOf<OperationCanceledException>());
        ChildExit exit = await Eventually.WithinAsync(child.Exited, "the child to be killed");
        Assert.That(exit.Signal, Is.EqualTo(SIGKILL));
    }

    [Test]
    public async Task Disposing_kills_what_is_left_of_the_group()
    {
        ChildProcess child = Start("sleep 300 & echo $! > grandchild.pid; exec sleep 300");
        int grandchild = await ReadPidAsync("grandchild.pid");

        await child.DisposeAsync().AsTask().WaitAsync(Eventually.DefaultTimeout);

        Assert.That(child.Exited.Result.Signal, Is.EqualTo(SIGKILL));
        await Eventually.TrueAsync(() => ProcStat.IsGone(grandchild), "the grandchild to die");
    }

    private ChildProcess Start(string script) =>
        new ProcessGroupLauncher(HostEnvironment.FromProcess(), clock, NullLogger.Instance).Start(new ProcessLaunch
        {
            Executable = "sh",
            Arguments = ["-c", script],
            WorkingDirectory = temp.Path,
            LogFile = temp.Combine("child.log"),
        });

    private async Task<int> ReadPidAsync(string file)
    {
        string path = temp.Combine(file);
        await Eventually.TrueAsync(() => File.Exists(path) && File.ReadAllText(path).EndsWith('\n'), $"{file} to be written");
        return int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
    }

    private static Task WaitUntilIgnoresTermAsync(int pid) =>
        Eventually.TrueAsync(() => (ProcStat.IgnoredSignals(pid) & (1UL << (SIGTERM - 1))) != 0, $"pid {pid} to ignore SIGTERM");
}
