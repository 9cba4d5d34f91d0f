using System.Globalization;
using System.Text;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Runtimes;
using Aetherflow.Engine.Runtimes.Command;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Runtimes.Command;

public sealed class CommandRuntimeTests
{
    private const string NastyPrompt = "line1\nline2\n  'single' \"double\" $(touch pwned) `touch pwned2` $HOME {{x}} ünïcødé 🚀 back\\slash\ttab ";

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private TempDirectory temp = null!;
    private string work = null!;

    [SetUp]
    public void SetUp()
    {
        temp = new TempDirectory("command");
        work = Directory.CreateDirectory(temp.Combine("work")).FullName;
    }

    [TearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public async Task The_prompt_is_the_last_argument_byte_for_byte_and_nothing_is_expanded()
    {
        CommandRuntime runtime = Runtime("sh -c 'for a in \"$@\"; do printf \"%s\\0\" \"$a\"; done > argv.bin' sh \"two words\" 'it''s' $HOME");

        await using IAgentHandle agent = await runtime.StartAsync(Launch(prompt: NastyPrompt), CancellationToken.None);
        AgentOutcome outcome = await Eventually.WithinAsync(agent.Completion, "the agent to finish");

        Assert.That(outcome.Succeeded, Is.True, outcome.Reason);
        string[] argv = File.ReadAllText(Path.Combine(work, "argv.bin"), Encoding.UTF8).Split('\0')[..^1];
        Assert.That(argv, Is.EqualTo(new[] { "two words", "its", "$HOME", NastyPrompt }));
        Assert.That(File.ReadAllBytes(Path.Combine(work, "argv.bin"))[^(Encoding.UTF8.GetByteCount(NastyPrompt) + 1)..], Is.EqualTo(Encoding.UTF8.GetBytes(NastyPrompt + "\0")));
        Assert.That(Directory.GetFiles(work).Select(Path.GetFileName), Is.EqualTo(new[] { "argv.bin" }), "nothing in the prompt may run");
    }

    [Test]
    public async Task The_agent_runs_in_its_worktree_with_its_ids_and_extra_variables_and_logs_to_its_own_file()
    {
        CommandRuntime runtime = Runtime("sh -c 'echo \"$AETHERFLOW_AGENT_ID|$AETHERFLOW_WORK_ID|$EXTRA\"; pwd -P; echo oops >&2'");
        AgentLaunch launch = Launch() with
        {
            Environment = new Dictionary<string, string> { ["EXTRA"] = "x y", [CommandRuntime.AgentIdVariable] = "spoofed" },
        };

        await using IAgentHandle agent = await runtime.StartAsync(launch, CancellationToken.None);
        await Eventually.WithinAsync(agent.Completion, "the agent to finish");

        string log = temp.Combine("agents", "ghost_wolf.log");
        string realWork = new DirectoryInfo(work).ResolveLinkTarget(true)?.FullName ?? work;
        Assert.That(File.ReadAllText(log), Is.EqualTo($"ghost_wolf|task-42|x y\n{realWork}\noops\n"));
        Assert.That(File.GetUnixFileMode(log), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(temp.Combine("agents")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task A_running_agent_is_busy_with_its_pid_in_a_session_of_its_own()
    {
        await using IAgentHandle agent = await Runtime("sh -c 'exec sleep 300'").StartAsync(Launch(), CancellationToken.None);

        int pid = agent.Status.Pid!.Value;
        Assert.That(agent.Status.Activity, Is.EqualTo(AgentActivity.Busy));
        Assert.That(agent.Status.SessionId, Is.Null);
        Assert.That(agent.IsAlive(), Is.True);
        ProcStat stat = ProcStat.Read(pid)!;
        ProcStat self = ProcStat.Read(Environment.ProcessId)!;
        Assert.That((stat.ProcessGroupId, stat.SessionId), Is.EqualTo((pid, pid)));
        Assert.That(stat.SessionId, Is.Not.EqualTo(self.SessionId));
        Assert.That(stat.ProcessGroupId, Is.Not.EqualTo(self.ProcessGroupId));
    }

    [Test]
    public async Task A_clean_exit_succeeds_without_a_session_even_when_one_was_to_be_resumed()
    {
        await using IAgentHandle agent = await Runtime("true").StartAsync(Launch() with { ResumeSessionId = "ses_123" }, CancellationToken.None);

        AgentOutcome outcome = await Eventually.WithinAsync(agent.Completion, "the agent to finish");

        Assert.That(outcome, Is.EqualTo(new AgentOutcome(true, 0, "exited with code 0", null)));
        Assert.That(agent.Status.Activity, Is.EqualTo(AgentActivity.Exited));
        Assert.That(agent.Status.LastError, Is.Null);
        Assert.That(agent.IsAlive(), Is.False);
    }

    [Test]
    public async Task A_failing_exit_is_an_outcome_with_its_code()
    {
        await using IAgentHandle agent = await Runtime("sh -c 'exit 3'").StartAsync(Launch(), CancellationToken.None);

        AgentOutcome outcome = await Eventually.WithinAsync(agent.Completion, "the agent to finish");

        Assert.That(outcome, Is.EqualTo(new AgentOutcome(false, 3, "exited with code 3")));
        Assert.That(agent.Status.LastError, Is.EqualTo("exited with code 3"));
    }

    [Test]
    public async Task An_agent_killed_from_outside_is_no_longer_alive_and_ends_with_the_signal()
    {
        await using IAgentHandle agent = await Runtime("sh -c 'exec sleep 300'").StartAsync(Launch(), CancellationToken.None);
        var changes = new List<AgentRuntimeStatus>();
        agent.StatusChanged += (_, status) => changes.Add(status);

        Assert.That(UnixNative.Kill(agent.Status.Pid!.Value, 9), Is.Zero);

        await Eventually.TrueAsync(() => !agent.IsAlive(), "IsAlive to notice the kill");
        AgentOutcome outcome = await Eventually.WithinAsync(agent.Completion, "the agent to finish");
        Assert.That(outcome, Is.EqualTo(new AgentOutcome(false, 137, "killed by signal 9 (SIGKILL)")));
        Assert.That(changes.Select(s => s.Activity), Is.EqualTo(new[] { AgentActivity.Exited }));
        Assert.That(changes[0].LastError, Is.EqualTo("killed by signal 9 (SIGKILL)"));
    }

    [Test]
    public async Task A_grandchild_that_keeps_the_output_open_does_not_block_Completion()
    {
        await using IAgentHandle agent = await Runtime("sh -c 'sleep 300 & echo $! > grandchild.pid; echo done'").StartAsync(Launch(), CancellationToken.None);

        AgentOutcome outcome = await Eventually.WithinAsync(agent.Completion, "Completion while the grandchild holds the log open");

        int grandchild = await ReadPidAsync(Path.Combine(work, "grandchild.pid"));
        Assert.That(outcome.Succeeded, Is.True);
        Assert.That(ProcStat.IsGone(grandchild), Is.False);

        await agent.DisposeAsync();
        await Eventually.TrueAsync(() => ProcStat.IsGone(grandchild), "disposing to kill the leftover grandchild");
    }

    [Test]
    public async Task Stopping_an_agent_that_ignores_SIGTERM_kills_its_whole_group_after_the_grace_period()
    {
        await using IAgentHandle agent = await Runtime("sh -c 'trap \"\" TERM; sleep 300 & echo $! > grandchild.pid; exec sleep 300'")
            .StartAsync(Launch(), CancellationToken.None);
        int grandchild = await ReadPidAsync(Path.Combine(work, "grandchild.pid"));
        await Eventually.TrueAsync(() => (ProcStat.IgnoredSignals(agent.Status.Pid!.Value) & (1UL << 14)) != 0, "the agent to ignore SIGTERM");

        Task stop = agent.StopAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.That(stop.IsCompleted, Is.False);
        Assert.That(agent.IsAlive(), Is.True, "SIGTERM is ignored and the grace period has not ended");

        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WithinAsync(stop.ContinueWith(_ => true, TaskScheduler.Default), "the stop to finish");

        Assert.That(stop.IsCompletedSuccessfully, Is.True);
        Assert.That(agent.Completion.IsCompleted, Is.True, "StopAsync returns once Completion has completed");
        Assert.That(agent.Completion.Result.Reason, Is.EqualTo("killed by signal 9 (SIGKILL)"));
        Assert.That(agent.Status.Activity, Is.EqualTo(AgentActivity.Exited));
        await Eventually.TrueAsync(() => ProcStat.IsGone(grandchild), "the grandchild to die with the group");
    }

    [Test]
    public async Task Stopping_an_agent_that_honours_SIGTERM_needs_no_grace_period()
    {
        await using IAgentHandle agent = await Runtime("sh -c 'exec sleep 300'").StartAsync(Launch(), CancellationToken.None);

        await Eventually.WithinAsync(agent.StopAsync(TimeSpan.FromHours(1), CancellationToken.None).ContinueWith(_ => true, TaskScheduler.Default), "the stop to finish");

        Assert.That(agent.Completion.Result, Is.EqualTo(new AgentOutcome(false, 143, "killed by signal 15 (SIGTERM)")));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("''")]
    public Task An_empty_spawn_cmd_is_a_launch_error(string spawnCommand) =>
        AssertLaunchErrorAsync(Runtime(spawnCommand), Launch(), "spawn_cmd is empty; set spawn_cmd to the command that runs one agent");

    [Test]
    public Task A_spawn_cmd_with_broken_quoting_is_a_launch_error() =>
        AssertLaunchErrorAsync(Runtime("sh -c 'echo"), Launch(), "spawn_cmd has an unterminated single quote at position 7; fix the quoting in spawn_cmd");

    [Test]
    public Task A_missing_program_is_a_launch_error() =>
        AssertLaunchErrorAsync(Runtime("no-such-agent-af --flag"), Launch(), "spawn_cmd: cannot start 'no-such-agent-af': no such program on PATH; install it or give its full path");

    [Test]
    public Task A_missing_worktree_is_a_launch_error()
    {
        string missing = temp.Combine("gone");
        return AssertLaunchErrorAsync(Runtime("true"), Launch() with { WorkingDirectory = missing }, $"spawn_cmd: cannot start 'true' in {missing}: the folder does not exist");
    }

    [Test]
    public Task An_agent_name_that_could_escape_the_log_folder_is_a_launch_error() =>
        AssertLaunchErrorAsync(Runtime("true"), Launch() with { AgentName = "../evil" }, "invalid agent name '../evil': use letters, digits, '.', '_' and '-', not starting with '.' or '-', at most 64 characters");

    private static async Task AssertLaunchErrorAsync(CommandRuntime runtime, AgentLaunch launch, string message)
    {
        var ex = await Assert.ThrowsAsync<AgentLaunchException>(() => runtime.StartAsync(launch, CancellationToken.None));
        Assert.That(ex!.Message, Is.EqualTo(message));
    }

    private CommandRuntime Runtime(string spawnCommand) => new(
        new CommandRuntimeOptions { SpawnCommand = spawnCommand, LogDirectory = temp.Combine("agents") },
        new ProcessGroupLauncher(HostEnvironment.FromProcess(), clock, NullLogger.Instance),
        clock,
        NullLogger.Instance);

    private AgentLaunch Launch(string prompt = "do the task") => new()
    {
        AgentName = "ghost_wolf",
        WorkId = "task-42",
        Role = "worker",
        Title = "ghost_wolf: task-42",
        Prompt = prompt,
        WorkingDirectory = work,
    };

    private static async Task<int> ReadPidAsync(string path)
    {
        await Eventually.TrueAsync(() => File.Exists(path) && File.ReadAllText(path).EndsWith('\n'), $"{path} to be written");
        return int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
    }
}
