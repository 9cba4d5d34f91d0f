using System.Text.Json.Nodes;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

/// <summary>
/// The real executable as a headless engine with real agent processes: SIGTERM while agents run (stop or drain), the
/// detached engine with its log and pid files, and spawn without a running engine.
/// </summary>
[NonParallelizable]
public sealed class HeadlessLifecycleTests
{
    [Test]
    public async Task SIGTERM_with_running_agents_stops_them_and_exits_4()
    {
        using var home = new TestHome("stopper");
        await CommandProject.InitAsync(home, "sleep 60");
        using TestProcess engine = TestProcess.Start(home.ProjectDirectory, home.Variables, "--headless");
        string socket = home.SocketPath("stopper");
        int[] pids = await SpawnAsync(engine, socket, 2);

        Assert.That(Kill(engine.Process.Id, 15), Is.Zero);
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(engine.Process.ExitCode, Is.EqualTo(4), engine.Error);
        Assert.That(engine.Error, Does.Contain("aetherflow: stopping 2 running agents; pool tasks go back to open"));
        Assert.That(pids.Where(CommandProject.IsAlive), Is.Empty, "every agent process is gone");
        Assert.That(File.Exists(socket), Is.False);
        Assert.That(File.Exists(Path.ChangeExtension(socket, ".pid")), Is.False);
    }

    [Test]
    public async Task SIGTERM_with_on_stop_drain_takes_no_new_work_and_waits_for_the_agents_then_exits_0()
    {
        using var home = new TestHome("drainer");
        // The agents work until the test lets them finish, however slow the machine is.
        string finish = Path.Combine(home.Variables["HOME"], "finish");
        await CommandProject.InitAsync(home, $"while [ ! -e {finish} ]; do sleep 0.05; done");
        using TestProcess engine = TestProcess.Start(home.ProjectDirectory, home.Variables, "--headless", "--on-stop", "drain");
        string socket = home.SocketPath("drainer");
        int[] pids = await SpawnAsync(engine, socket, 2);

        Assert.That(Kill(engine.Process.Id, 15), Is.Zero);
        await Wait.UntilAsync(() => engine.Error.Contains("draining, waiting for 2 running agents", StringComparison.Ordinal), "the drain to start");
        JsonNode refused = await CommandProject.CallAsync(socket, "spawn", """{"prompt":"too late"}""");
        JsonNode status = await CommandProject.CallAsync(socket, "status.get");
        Assert.That(engine.Process.HasExited, Is.False, "the drain waits for the agents");
        await File.WriteAllTextAsync(finish, "");
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(refused["error"]!["message"]!.GetValue<string>(), Is.EqualTo("the engine is stopping and takes no new agents; start it again to spawn"));
        Assert.That(status["result"]!["mode"]!.GetValue<string>(), Is.EqualTo("draining"));
        Assert.That(engine.Process.ExitCode, Is.Zero, engine.Error);
        Assert.That(engine.Error, Does.Contain("aetherflow: drained; every agent finished"));
        Assert.That(pids.Where(CommandProject.IsAlive), Is.Empty);
    }

    [Test]
    public async Task A_second_signal_during_a_drain_stops_the_agents_and_exits_4()
    {
        using var home = new TestHome("impatient");
        await CommandProject.InitAsync(home, "sleep 60");
        using TestProcess engine = TestProcess.Start(home.ProjectDirectory, home.Variables, "--headless", "--on-stop", "drain");
        int[] pids = await SpawnAsync(engine, home.SocketPath("impatient"), 1);

        Assert.That(Kill(engine.Process.Id, 2), Is.Zero);
        await Wait.UntilAsync(() => engine.Error.Contains("draining, waiting for 1 running agent", StringComparison.Ordinal), "the drain to start");
        Assert.That(Kill(engine.Process.Id, 2), Is.Zero);
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(engine.Process.ExitCode, Is.EqualTo(4), engine.Error);
        Assert.That(engine.Error, Does.Contain("aetherflow: stopping 1 running agent;"));
        Assert.That(pids.Where(CommandProject.IsAlive), Is.Empty);
    }

    [Test]
    public async Task Detached_engine_runs_in_the_background_with_a_log_and_pid_file_until_shutdown()
    {
        using var home = new TestHome("background");
        await CommandProject.InitAsync(home, "sleep 60");
        string socket = home.SocketPath("background");
        int pid = 0;
        try
        {
            using TestProcess start = TestProcess.Start(home.ProjectDirectory, home.Variables, "--headless", "-d");
            await start.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            Assert.That(start.Process.ExitCode, Is.Zero, start.Error);
            pid = int.Parse(File.ReadAllText(Path.ChangeExtension(socket, ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            string log = Path.Combine(home.Root, "state", "aetherflow", "projects", "background", "headless.log");
            Assert.That(start.Output, Is.EqualTo($"aetherflow engine for project 'background' started in the background (pid {pid})\n  socket: {socket}\n  log:    {log}\n  stop it with 'aetherflow shutdown'\n\n"));
            Assert.That(File.ReadAllText(log), Does.Contain("listening on " + socket));
            Assert.That(CommandProject.IsAlive(pid), Is.True);

            using TestProcess shutdown = TestProcess.Start(home.ProjectDirectory, home.Variables, "shutdown");
            await shutdown.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(shutdown.Process.ExitCode, Is.Zero, shutdown.Error);
            Assert.That(shutdown.Output, Is.EqualTo("engine stopping\n\n"));
            await Wait.UntilAsync(() => !CommandProject.IsAlive(pid), "the background engine to exit", TimeSpan.FromSeconds(60));
            Assert.That(File.Exists(socket), Is.False);
        }
        finally
        {
            if (pid > 0 && CommandProject.IsAlive(pid))
            {
                Kill(pid, 9);
            }
        }
    }

    [Test]
    public async Task Spawn_without_an_engine_starts_one_follows_the_agent_and_stops_the_engine_again()
    {
        using var home = new TestHome("standalone");
        await CommandProject.InitAsync(home, "echo working; sleep 1");
        string socket = home.SocketPath("standalone");

        using TestProcess spawn = TestProcess.Start(home.ProjectDirectory, home.Variables, "spawn", "Say hello");
        await spawn.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.That(spawn.Process.ExitCode, Is.Zero, spawn.Error);
        Assert.That(spawn.Error, Does.StartWith("aetherflow: no engine runs for project 'standalone'; starting one in the background\n"));
        Assert.That(spawn.Error, Does.Match(@"aetherflow: spawned \w+ \(spawn-\w+-[0-9a-f]+\); following it, ctrl\+c stops it\n"));
        Assert.That(spawn.Error, Does.Contain("runs as a plain process").Or.Contain("finished"));
        Assert.That(spawn.Error, Does.Match(@"aetherflow: \w+ finished\n"));
        Assert.That(spawn.Error, Does.Contain("aetherflow: stopped the background engine this command started (pid "));
        await Wait.UntilAsync(() => !File.Exists(socket), "the background engine to go away", TimeSpan.FromSeconds(60));
    }

    [Test]
    public async Task Spawn_detached_without_an_engine_leaves_the_engine_running_with_the_agent()
    {
        using var home = new TestHome("leftrunning");
        await CommandProject.InitAsync(home, "sleep 60");
        string socket = home.SocketPath("leftrunning");
        try
        {
            using TestProcess spawn = TestProcess.Start(home.ProjectDirectory, home.Variables, "spawn", "-d", "--json", "Keep going");
            await spawn.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

            Assert.That(spawn.Process.ExitCode, Is.Zero, spawn.Error);
            JsonNode agent = JsonNode.Parse(spawn.Output)!;
            Assert.That(spawn.Error, Does.Contain("aetherflow: the background engine keeps running (pid "));
            JsonNode status = await CommandProject.CallAsync(socket, "status.get");
            Assert.That(status["result"]!["agents"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()), Does.Contain(agent["name"]!.GetValue<string>()));

            using TestProcess logs = TestProcess.Start(home.ProjectDirectory, home.Variables, "logs", agent["name"]!.GetValue<string>());
            await logs.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(logs.Process.ExitCode, Is.Zero, logs.Error);
            Assert.That(logs.Error, Does.Contain($"{agent["name"]} runs as a plain process (runtime: command), which records no events; its output is in "));
        }
        finally
        {
            if (File.Exists(socket))
            {
                await CommandProject.CallAsync(socket, "engine.shutdown", """{"force":true}""");
                await Wait.UntilAsync(() => !File.Exists(socket), "the background engine to stop", TimeSpan.FromSeconds(60));
            }
        }
    }

    // Starts a headless engine's agents through its socket and returns their pids once they run.
    private static async Task<int[]> SpawnAsync(TestProcess engine, string socket, int count)
    {
        await Wait.UntilAsync(() => File.Exists(socket) || engine.Process.HasExited, "the engine socket", TimeSpan.FromSeconds(60));
        Assert.That(engine.Process.HasExited, Is.False, engine.Error);
        for (int i = 0; i < count; i++)
        {
            JsonNode reply = await CommandProject.CallAsync(socket, "spawn", $$"""{"prompt":"agent {{i}}"}""");
            Assert.That(reply["result"], Is.Not.Null, reply.ToJsonString());
        }

        int[] pids = [];
        await Wait.UntilAsync(
            () =>
            {
                JsonArray agents = CommandProject.CallAsync(socket, "status.get").GetAwaiter().GetResult()["result"]!["agents"]!.AsArray();
                pids = agents.Where(a => a!["activity"]!.GetValue<string>() != "starting" && a["pid"] is not null).Select(a => a!["pid"]!.GetValue<int>()).ToArray();
                return pids.Length == count;
            },
            "the agents to run",
            TimeSpan.FromSeconds(60));
        Assert.That(pids.All(CommandProject.IsAlive), Is.True);
        return pids;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
