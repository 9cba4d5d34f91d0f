using System.Globalization;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Sessions;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

/// <summary>
/// The CLI clients of the socket, each with its text and <c>--json</c> output, run in-process against a real engine
/// on a real socket (its agents are stubs that write real events).
/// </summary>
[NonParallelizable]
public sealed class EngineClientCommandsTests
{
    private TestHome home = null!;
    private CliEngine engine = null!;

    [SetUp]
    public async Task SetUp()
    {
        home = new TestHome();
        engine = await CliEngine.StartAsync(home);
    }

    [TearDown]
    public async Task TearDown()
    {
        await engine.DisposeAsync();
        home.Dispose();
    }

    [Test]
    public async Task Status_shows_the_pool_and_its_agents_and_its_json_twin_the_snapshot()
    {
        (AgentInfo agent, _) = await engine.SpawnAsync("Tidy the README");

        var (code, text, _) = await RunAsync("status");
        var (jsonCode, json, _) = await RunAsync("status", "--json");

        Assert.That(code, Is.Zero);
        Assert.That(text, Does.StartWith("aetherflow  demo  pool 0/3 [active]  manual  builtin  opencode  engine pid " + Environment.ProcessId + " (headless)\n"));
        Assert.That(text, Does.Contain("NAME").And.Contain("ACTIVITY"));
        // The task column is cut with an ellipsis when a random agent name makes the id long.
        Assert.That(text.Split('\n').First(l => l.StartsWith("  " + agent.Name, StringComparison.Ordinal)), Does.Contain(agent.TaskId![..20]).And.Contain("spawn").And.Contain("busy").And.Contain("Tidy the README"));
        Assert.That(jsonCode, Is.Zero);
        JsonNode snapshot = JsonNode.Parse(json)!;
        Assert.That(snapshot["project"]!.GetValue<string>(), Is.EqualTo("demo"));
        Assert.That(snapshot["agents"]![0]!["name"]!.GetValue<string>(), Is.EqualTo(agent.Name));
        Assert.That(json.TrimEnd('\n'), Does.Not.Contain("\n"), "one document per line");
    }

    [Test]
    public async Task Status_of_an_agent_shows_its_tool_calls_and_its_json_twin_the_detail()
    {
        (AgentInfo info, StubAgent agent) = await engine.SpawnAsync("Build it");
        engine.Bash(agent.SessionId, "dotnet build");
        engine.Bash(agent.SessionId, "dotnet test");
        engine.Text(agent.SessionId, "Both pass.");

        var (code, text, _) = await RunAsync("status", info.Name);
        var (_, json, _) = await RunAsync("status", info.Name, "--json");
        var (_, limited, _) = await RunAsync("status", info.Name, "--limit", "1");

        Assert.That(code, Is.Zero);
        Assert.That(text, Does.StartWith($"Agent: {info.Name}\n  Task:      {info.TaskId}  \"Build it\"\n  Role:      spawn (spawn)\n  Activity:  busy\n"));
        Assert.That(text, Does.Contain($"  Session:   {agent.SessionId}\n"));
        Assert.That(text, Does.Contain("  Said:      \"Both pass.\"\n"));
        Assert.That(text, Does.Contain("\nTool calls: 2\n"));
        Assert.That(text, Does.Contain(" bash ✓ dotnet build (1.2s)\n").And.Contain(" bash ✓ dotnet test (1.2s)\n"));
        Assert.That(limited, Does.Contain("Tool calls: 2 (1 earlier not shown; --limit 0 shows all)").And.Not.Contain("dotnet build"));
        JsonNode detail = JsonNode.Parse(json)!;
        Assert.That(detail["agent"]!["name"]!.GetValue<string>(), Is.EqualTo(info.Name));
        Assert.That(detail["tool_calls"]!.AsArray().Select(c => c!["input"]!.GetValue<string>()), Is.EqualTo(new[] { "dotnet build", "dotnet test" }));
    }

    [Test]
    public async Task Status_of_an_unknown_agent_says_so_in_one_line()
    {
        var (code, output, error) = await RunAsync("status", "nobody_here");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo("aetherflow: no agent is named 'nobody_here' (and none works on a task with that id)\n"));
    }

    [Test]
    public async Task Status_watch_json_prints_one_snapshot_per_change()
    {
        using var stop = new CancellationTokenSource();
        CliRun run = Start(stop.Token, "status", "-w", "--json");
        await Wait.UntilAsync(() => Lines(run.Output).Length >= 1, "the first snapshot");

        await engine.Host.Engine.SetPoolModeAsync(PoolMode.Draining, CancellationToken.None);
        await Wait.UntilAsync(() => Lines(run.Output).Any(l => JsonNode.Parse(l)!["mode"]!.GetValue<string>() == "draining"), "the change to be printed");
        await stop.CancelAsync();

        Assert.That(await run.Completion.WaitAsync(TimeSpan.FromSeconds(20)), Is.Zero);
        Assert.That(JsonNode.Parse(Lines(run.Output)[0])!["mode"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test]
    public async Task Logs_print_an_agents_events_as_lines_json_or_raw()
    {
        (AgentInfo info, StubAgent agent) = await engine.SpawnAsync("Build it");
        SessionEvent build = engine.Bash(agent.SessionId, "dotnet build", output: "Build succeeded.");
        engine.Text(agent.SessionId, "Done building.");

        var (code, text, _) = await RunAsync("logs", info.Name);
        var (_, last, _) = await RunAsync("logs", info.Name, "-n", "1");
        var (_, json, _) = await RunAsync("logs", info.Name, "--json");
        var (_, raw, _) = await RunAsync("logs", info.TaskId!, "--raw");

        string toolTime = DateTimeOffset.FromUnixTimeMilliseconds(1795382944600).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        string textTime = DateTimeOffset.FromUnixTimeMilliseconds(1795382943420).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.That(code, Is.Zero);
        Assert.That(text, Is.EqualTo($"{toolTime}  bash ✓dotnet build (1.2s)\n          → Build succeeded.\n{textTime}  Done building.\n"));
        Assert.That(last, Is.EqualTo($"{textTime}  Done building.\n"));
        string[] jsonLines = Lines(json);
        Assert.That(jsonLines.Select(l => JsonNode.Parse(l)!["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "tool", "text" }));
        Assert.That(JsonNode.Parse(jsonLines[0])!["detail"]!.GetValue<string>(), Is.EqualTo("Build succeeded."));
        string[] rawLines = Lines(raw);
        JsonNode first = JsonNode.Parse(rawLines[0])!;
        Assert.That(first["sequence"]!.GetValue<long>(), Is.EqualTo(build.Sequence));
        Assert.That(first["type"]!.GetValue<string>(), Is.EqualTo("message.part.updated"));
        Assert.That(first["payload"]!["part"]!["state"]!["input"]!["command"]!.GetValue<string>(), Is.EqualTo("dotnet build"));
    }

    [Test]
    public async Task Logs_follow_prints_new_events_as_they_come_until_ctrl_c()
    {
        (AgentInfo info, StubAgent agent) = await engine.SpawnAsync("Build it");
        engine.Text(agent.SessionId, "before");
        using var stop = new CancellationTokenSource();
        CliRun run = Start(stop.Token, "logs", info.Name, "-f");
        await Wait.UntilAsync(() => run.Error.Contains($"following {info.Name} (ctrl+c stops)", StringComparison.Ordinal), "the follow to start");

        engine.Text(agent.SessionId, "after one");
        engine.Text(agent.SessionId, "after two");
        await Wait.UntilAsync(() => run.Output.Contains("after two", StringComparison.Ordinal), "the new events to be printed");
        await stop.CancelAsync();

        Assert.That(await run.Completion.WaitAsync(TimeSpan.FromSeconds(20)), Is.Zero);
        Assert.That(Lines(run.Output).Select(l => l[10..]), Is.EqualTo(new[] { "before", "after one", "after two" }));
    }

    [Test]
    public async Task Logs_of_an_unknown_agent_fail_in_one_line()
    {
        var (code, _, error) = await RunAsync("logs", "nobody_here");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo("aetherflow: no agent is named 'nobody_here' (and none works on a task with that id)\n"));
    }

    [Test]
    public async Task Sessions_list_the_registry_as_a_table_or_json()
    {
        var (emptyCode, empty, _) = await RunAsync("sessions");
        await RegisterAsync("ses_first", "spawn-a", SessionStatus.Idle);
        await RegisterAsync("ses_second", "ts-b", SessionStatus.Active);

        var (code, text, _) = await RunAsync("sessions");
        var (_, json, _) = await RunAsync("sessions", "--json");

        Assert.That(emptyCode, Is.Zero);
        Assert.That(empty, Is.EqualTo("No sessions\n"));
        Assert.That(code, Is.Zero);
        string[] lines = Lines(text);
        Assert.That(lines[0], Does.StartWith("SESSION     STATUS  ORIGIN  AGENT       WORK     UPDATED  DIRECTORY"));
        Assert.That(lines[1], Does.StartWith("ses_second  active  spawn   calm_otter  ts-b     0s ago   "));
        Assert.That(lines[2], Does.StartWith("ses_first   idle    spawn   calm_otter  spawn-a  0s ago   "));
        Assert.That(JsonNode.Parse(json)!.AsArray().Select(s => s!["session_id"]!.GetValue<string>()), Is.EqualTo(new[] { "ses_second", "ses_first" }));
    }

    [Test]
    public async Task Session_attach_runs_opencode_attach_on_the_session_and_returns_its_exit_code()
    {
        string record = Path.Combine(home.Root, "attach.txt");
        string opencode = Path.Combine(home.Root, "fake-opencode");
        File.WriteAllText(opencode, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{record}'\necho \"password=${{OPENCODE_SERVER_PASSWORD:-none}}\" >> '{record}'\nexit 7\n");
        File.SetUnixFileMode(opencode, (UnixFileMode)0b111_101_101);
        home.Variables["AETHERFLOW_OPENCODE_BIN"] = opencode;
        await RegisterAsync("ses_attach", "spawn-a", SessionStatus.Active);

        var (code, _, error) = await RunAsync("session", "attach", "ses_attach");

        Assert.That(code, Is.EqualTo(7), error);
        Assert.That(error, Is.EqualTo("attaching to ses_attach on http://127.0.0.1:4096/ (quit the TUI to detach; the agent keeps running)\n"));
        Assert.That(File.ReadAllText(record), Is.EqualTo($"attach\nhttp://127.0.0.1:4096/\n--session\nses_attach\n--dir\n{home.ProjectDirectory}\npassword=none\n"));
    }

    [TestCase("ses_unknown", 1, "aetherflow: no session 'ses_unknown' in project 'demo'; 'aetherflow sessions' lists them\n")]
    [TestCase("../x", 2, "aetherflow: '../x' is not a session id (like ses_4f1c2a); 'aetherflow sessions' lists them\n")]
    public async Task Session_attach_refuses_unknown_and_malformed_ids(string id, int exitCode, string message)
    {
        var (code, _, error) = await RunAsync("session", "attach", id);

        Assert.That(code, Is.EqualTo(exitCode));
        Assert.That(error, Is.EqualTo(message));
    }

    [Test]
    public async Task Spawn_detached_prints_the_agent_and_returns_at_once()
    {
        var (code, text, _) = await RunAsync("spawn", "-d", "Add", "a", "--verbose", "flag");
        var (jsonCode, json, _) = await RunAsync("spawn", "-d", "--solo", "--json", "Land it yourself");

        AgentInfo first = engine.Snapshot.Agents.Single(a => a.Title == "Add a --verbose flag");
        Assert.That(code, Is.Zero);
        Assert.That(text, Is.EqualTo($"spawned {first.Name} ({first.TaskId})\n  follow: aetherflow logs {first.Name} -f\n  stop:   aetherflow stop {first.Name}\n"));
        Assert.That(jsonCode, Is.Zero);
        JsonNode agent = JsonNode.Parse(json)!;
        Assert.That(agent["origin"]!.GetValue<string>(), Is.EqualTo("spawn"));
        await Wait.UntilAsync(() => engine.Runtime.Launched.Count == 2, "both agents to start");
        Assert.That(engine.Runtime.Launched.Single(a => a.Launch.WorkId == agent["task_id"]!.GetValue<string>()).Launch.Prompt, Does.StartWith("solo spawn "));
        Assert.That(engine.Runtime.Launched.Single(a => a.Launch.WorkId == first.TaskId).Launch.Prompt, Does.StartWith("spawn "));
    }

    [Test]
    public async Task Spawn_follows_the_agent_to_its_end_and_exits_with_its_outcome()
    {
        engine.Runtime.OnStart = async agent =>
        {
            await Wait.UntilAsync(() => engine.Snapshot.Agents.Any(a => a.SessionId == agent.SessionId), "the agent to be listed");
            engine.Bash(agent.SessionId, "make");
            engine.Text(agent.SessionId, "All done.");
            agent.Exit(agent.Launch.Prompt.Contains("fail", StringComparison.Ordinal) ? 3 : 0, agent.Launch.Prompt.Contains("fail", StringComparison.Ordinal) ? "the model gave up" : null);
        };

        var (code, text, error) = await RunAsync("spawn", "Do it");
        var (failedCode, _, failedError) = await RunAsync("spawn", "Do it but fail");
        var (jsonCode, json, _) = await RunAsync("spawn", "--json", "Do it quietly");

        AgentInfo done = engine.Snapshot.Agents.Single(a => a.Title == "Do it");
        Assert.That(code, Is.Zero, error);
        Assert.That(Lines(text).Select(l => l.Length > 10 ? l[10..] : l), Is.EqualTo(new[] { "bash ✓make (1.2s)", "→ ok", "All done." }));
        Assert.That(error, Is.EqualTo($"aetherflow: spawned {done.Name} ({done.TaskId}); following it, ctrl+c stops it\naetherflow: {done.Name} finished\n"));
        Assert.That(failedCode, Is.EqualTo(5));
        Assert.That(Lines(failedError)[^1], Does.Match(@"^aetherflow: \w+ failed \(exit 3\): "));
        Assert.That(jsonCode, Is.Zero);
        JsonNode ended = JsonNode.Parse(json)!;
        Assert.That(ended["activity"]!.GetValue<string>(), Is.EqualTo("exited"));
        Assert.That(ended["exit_code"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task Ctrl_c_on_a_foreground_spawn_stops_the_agent()
    {
        using var stop = new CancellationTokenSource();
        CliRun run = Start(stop.Token, "spawn", "Run forever");
        await Wait.UntilAsync(() => run.Error.Contains("following it", StringComparison.Ordinal) && engine.Runtime.Launched.Count == 1, "the agent to start");

        await stop.CancelAsync();
        int code = await run.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        AgentInfo agent = engine.Snapshot.Agents.Single();
        Assert.That(code, Is.EqualTo(4), run.Error);
        Assert.That(run.Error, Does.EndWith($"aetherflow: stopped {agent.Name}\n"));

        // The engine accepted the stop before the command said so; the stop itself runs right after.
        await Wait.UntilAsync(() => engine.Runtime.Launched[0].StopCalls >= 1, "the agent to be stopped");
    }

    [TestCase("drain", "draining")]
    [TestCase("pause", "paused")]
    [TestCase("resume", "active")]
    public async Task Pool_commands_change_the_mode(string command, string mode)
    {
        var (code, text, _) = await RunAsync(command);
        var (_, json, _) = await RunAsync(command, "--json");

        Assert.That(code, Is.Zero);
        Assert.That(text, Is.EqualTo($"pool {mode} (0 agents running)\n"));
        Assert.That(JsonNode.Parse(json)!.ToJsonString(), Is.EqualTo($$"""{"mode":"{{mode}}","running":0}"""));
    }

    [Test]
    public async Task Stop_stops_an_agent_and_an_unknown_one_fails()
    {
        (AgentInfo info, StubAgent agent) = await engine.SpawnAsync("Work");

        var (code, text, _) = await RunAsync("stop", info.Name);
        var (unknownCode, _, unknown) = await RunAsync("stop", "nobody_here", "--json");

        Assert.That(code, Is.Zero);
        Assert.That(text, Is.EqualTo($"stopping {info.Name}\n"));
        await Wait.UntilAsync(() => agent.StopCalls == 1, "the agent to be stopped");
        Assert.That(unknownCode, Is.EqualTo(1));
        Assert.That(unknown, Is.EqualTo("aetherflow: no running agent is named 'nobody_here'\n"));
    }

    [Test]
    public async Task Stop_json_names_the_agent()
    {
        (AgentInfo info, _) = await engine.SpawnAsync("Work");

        var (code, json, _) = await RunAsync("stop", info.Name, "--json");

        Assert.That(code, Is.Zero);
        Assert.That(JsonNode.Parse(json)!.ToJsonString(), Is.EqualTo($$"""{"agent":"{{info.Name}}","stopping":true}"""));
    }

    [Test]
    public async Task Steer_sends_the_message_into_the_agent()
    {
        (AgentInfo info, StubAgent agent) = await engine.SpawnAsync("Work");

        var (code, text, _) = await RunAsync("steer", info.Name, "Use", "the", "new", "API");
        var (_, json, _) = await RunAsync("steer", info.Name, "--json", "And test it");

        Assert.That(code, Is.Zero);
        Assert.That(text, Is.EqualTo($"steered {info.Name}\n"));
        Assert.That(JsonNode.Parse(json)!.ToJsonString(), Is.EqualTo($$"""{"agent":"{{info.Name}}","steered":true}"""));
        Assert.That(agent.Steers, Is.EqualTo(new[] { "Use the new API", "And test it" }));
    }

    [Test]
    public async Task Shutdown_is_refused_while_agents_run_unless_forced()
    {
        await engine.SpawnAsync("Work");

        var (refusedCode, _, refused) = await RunAsync("shutdown");
        var (code, text, _) = await RunAsync("shutdown", "--force");

        Assert.That(refusedCode, Is.EqualTo(1));
        Assert.That(refused, Is.EqualTo("aetherflow: 1 agent is running; drain or stop them first, or shut down with force (agents are stopped gracefully)\n"));
        Assert.That(code, Is.Zero);
        Assert.That(text, Is.EqualTo("engine stopping; 1 running agent is being stopped\n"));
        Assert.That(engine.Host.ShutdownRequested.IsCancellationRequested, Is.True);
    }

    [Test]
    public async Task Shutdown_json_says_it_stops()
    {
        var (code, json, _) = await RunAsync("shutdown", "--json");

        Assert.That(code, Is.Zero);
        Assert.That(JsonNode.Parse(json)!.ToJsonString(), Is.EqualTo("""{"stopping":true,"running_agents":0}"""));
    }

    [Test]
    public async Task Rpc_call_prints_the_result_and_errors_in_one_line_or_as_json()
    {
        var (code, output, _) = await RunAsync("rpc", "call", "pool.pause");
        var (errorCode, _, error) = await RunAsync("rpc", "call", "agent.get", """{"agent":"nobody_here"}""");
        var (jsonCode, _, jsonError) = await RunAsync("rpc", "call", "bogus.method", "--json");

        Assert.That(code, Is.Zero);
        Assert.That(JsonNode.Parse(output)!["mode"]!.GetValue<string>(), Is.EqualTo("paused"));
        Assert.That(errorCode, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo("aetherflow: no agent is named 'nobody_here' (and none works on a task with that id) (code -32011)\n"));
        Assert.That(jsonCode, Is.EqualTo(1));
        Assert.That(JsonNode.Parse(jsonError)!["error"]!["code"]!.GetValue<int>(), Is.EqualTo(-32601));
    }

    [Test]
    public async Task A_folder_that_only_shares_the_project_name_never_reaches_that_engine()
    {
        string elsewhere = Path.Combine(home.Root, "projects", "other-checkout");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, ".aetherflow.yaml"), "project: demo\n");

        var (code, _, error) = await CliRunner.RunAsync(elsewhere, home.Variables, "pause");
        var (rawCode, _, rawError) = await CliRunner.RunAsync(elsewhere, home.Variables, "rpc", "call", "pool.pause");
        var (explicitCode, _, _) = await CliRunner.RunAsync(elsewhere, home.Variables, "-p", "demo", "status");

        string expected = $"aetherflow: the engine for project 'demo' serves {home.ProjectDirectory}, not {elsewhere}; two folders share that project name: set another 'project:' in this folder's .aetherflow.yaml, or pass -p to mean that engine\n";
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo(expected));
        Assert.That(rawCode, Is.EqualTo(1));
        Assert.That(rawError, Is.EqualTo(expected));
        Assert.That(engine.Snapshot.Mode, Is.EqualTo(PoolMode.Active), "nothing reached the engine");
        Assert.That(explicitCode, Is.Zero, "-p names the engine on purpose");
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(home.ProjectDirectory, home.Variables, args);

    private CliRun Start(CancellationToken cancellationToken, params string[] args) => CliRunner.Start(home.ProjectDirectory, home.Variables, cancellationToken, args);

    private Task<SessionRecord> RegisterAsync(string session, string workRef, SessionStatus status) =>
        engine.Registry.UpsertAsync(
            new SessionUpsert
            {
                ServerRef = "http://127.0.0.1:4096/",
                SessionId = session,
                Project = "demo",
                Directory = home.ProjectDirectory,
                OriginType = SessionOrigin.Spawn,
                WorkRef = workRef,
                AgentId = "calm_otter",
                Status = status,
            },
            CancellationToken.None);

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}
