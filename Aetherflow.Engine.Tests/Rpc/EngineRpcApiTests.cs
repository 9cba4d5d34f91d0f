using System.Text.Json.Nodes;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.Pool.Fakes;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>
/// Every method of the socket and its error paths, over a real Unix socket with raw JSON lines, against an engine whose
/// agents write real events into a real event store and session registry.
/// </summary>
[NonParallelizable]
public sealed class EngineRpcApiTests
{
    private TestHome home = null!;

    [SetUp]
    public void SetUp() => home = new TestHome();

    [TearDown]
    public void TearDown() => home.Dispose();

    [Test]
    public async Task A_newer_client_is_answered_in_the_engines_own_protocol_version()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonNode result = (await client.CallAsync("engine.hello", new { protocol_version = 99, client = "future" }))["result"]!;

        Assert.That(result["protocol_version"]!.GetValue<int>(), Is.EqualTo(BuildInfo.ProtocolVersion));
        Assert.That(result["min_protocol_version"]!.GetValue<int>(), Is.EqualTo(BuildInfo.MinProtocolVersion));
    }

    [Test]
    public async Task Tasks_queue_lists_ready_tasks_waiting_for_a_slot()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home, new() { ["spawn_policy"] = "auto", ["pool_size"] = "1", ["poll_interval"] = "100ms" });
        engine.Tasks.Add("ts-aaa111", priority: 1);
        engine.Tasks.Add("ts-bbb222", priority: 2);
        engine.Tasks.Add("ts-ccc333", priority: 3);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await engine.LaunchedAsync();

        JsonArray queue = null!;
        await Eventually.TrueAsync(
            () =>
            {
                queue = client.CallAsync("tasks.queue").GetAwaiter().GetResult()["result"]!.AsArray();
                return queue.Count == 2;
            },
            "two tasks to wait in the queue");

        Assert.That(queue.Select(t => t!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "ts-bbb222", "ts-ccc333" }));
        Assert.That(queue[0]!["priority"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(queue[0]!["title"]!.GetValue<string>(), Is.EqualTo("Task ts-bbb222"));
    }

    [Test]
    public async Task Pool_drain_pause_and_resume_report_the_mode_and_running_agents()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonNode drained = (await client.CallAsync("pool.drain"))["result"]!;
        JsonNode paused = (await client.CallAsync("pool.pause"))["result"]!;
        JsonNode resumed = (await client.CallAsync("pool.resume"))["result"]!;

        Assert.That(drained.ToJsonString(), Is.EqualTo("""{"mode":"draining","running":0}"""));
        Assert.That(paused["mode"]!.GetValue<string>(), Is.EqualTo("paused"));
        Assert.That(resumed["mode"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test]
    public async Task Spawn_follows_the_engines_solo_setting_unless_the_request_says_otherwise()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        await client.CallAsync("spawn", new { prompt = "review mode" });
        await client.CallAsync("spawn", new { prompt = "land it yourself", solo = true });
        await engine.LaunchedAsync(1);

        Assert.That(engine.Runtime.Launched.Select(a => a.Launch.Prompt.Split(':')[0]), Is.EquivalentTo(new[]
        {
            $"spawn prompt {engine.Runtime.Launched.Single(a => a.Launch.Prompt.EndsWith("review mode", StringComparison.Ordinal)).Launch.WorkId}",
            $"solo spawn prompt {engine.Runtime.Launched.Single(a => a.Launch.Prompt.EndsWith("land it yourself", StringComparison.Ordinal)).Launch.WorkId}",
        }));
    }

    [Test]
    public async Task Spawn_with_a_wrongly_typed_param_is_invalid_params()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.SendRawAsync("""{"jsonrpc":"2.0","id":1,"method":"spawn","params":{"prompt":"x","solo":"yes"}}""");

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidParams));
        Assert.That(reply["error"]!["message"]!.GetValue<string>(), Is.EqualTo("invalid params for spawn: solo has the wrong type"));
    }

    [Test]
    public async Task An_attached_spawn_is_stopped_when_its_connection_closes_and_a_detached_one_lives_on()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using (RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath))
        {
            await client.CallAsync("spawn", new { prompt = "mine", detached = false });
            await client.CallAsync("spawn", new { prompt = "free" });
            await engine.LaunchedAsync(1);
        }

        FakeAgent attached = engine.Runtime.Launched.Single(a => a.Launch.Prompt.EndsWith("mine", StringComparison.Ordinal));
        FakeAgent detached = engine.Runtime.Launched.Single(a => a.Launch.Prompt.EndsWith("free", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => attached.StopCalls == 1, "the attached agent to be stopped when its client left");
        Assert.That(detached.StopCalls, Is.Zero);
        Assert.That(engine.Engine.Host.Engine.Snapshot.Decisions.Select(d => d.Message), Has.Some.Contains("it spawned the agent and disconnected"));
    }

    [Test]
    public async Task Agent_get_returns_the_agent_with_its_tool_calls()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        string name = (await client.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        FakeAgent agent = await engine.LaunchedAsync();
        engine.Bash(agent.SessionId, "dotnet build");
        engine.Bash(agent.SessionId, "dotnet test", status: "running");
        engine.Text(agent.SessionId, "Building and testing");

        JsonNode detail = (await client.CallAsync("agent.get", new { agent = name }))["result"]!;

        JsonArray calls = detail["tool_calls"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(detail["agent"]!["name"]!.GetValue<string>(), Is.EqualTo(name));
            Assert.That(detail["agent"]!["session_id"]!.GetValue<string>(), Is.EqualTo(agent.SessionId));
            Assert.That(calls.Select(c => c!["input"]!.GetValue<string>()), Is.EqualTo(new[] { "dotnet build", "dotnet test" }));
            Assert.That(calls.Select(c => c!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "completed", "running" }));
            Assert.That(calls[0]!["tool"]!.GetValue<string>(), Is.EqualTo("bash"));
            Assert.That(calls[0]!["duration_ms"]!.GetValue<long>(), Is.EqualTo(1200));
            Assert.That(detail["last_text"]!.GetValue<string>(), Is.EqualTo("Building and testing"));
        });
    }

    [Test]
    public async Task Agent_get_of_an_unknown_agent_is_not_found_and_without_a_name_invalid_params()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject unknown = await client.CallAsync("agent.get", new { agent = "nobody_here" });
        JsonObject nameless = await client.CallAsync("agent.get", new { });

        Assert.That(unknown["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.NotFound));
        Assert.That(unknown["error"]!["message"]!.GetValue<string>(), Is.EqualTo("no agent is named 'nobody_here' (and none works on a task with that id)"));
        Assert.That(nameless["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidParams));
    }

    [Test]
    public async Task Events_read_pages_through_an_agents_events_by_sequence_cursor()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        string name = (await client.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        FakeAgent agent = await engine.LaunchedAsync();
        for (int i = 1; i <= 5; i++)
        {
            engine.Text(agent.SessionId, $"line {i}");
        }

        JsonNode first = (await client.CallAsync("events.read", new { agent = name, after_sequence = 0, limit = 2 }))["result"]!;
        long cursor = first["next_cursor"]!.GetValue<long>();
        JsonNode rest = (await client.CallAsync("events.read", new { agent = name, after_sequence = cursor, limit = 10 }))["result"]!;
        JsonNode raw = (await client.CallAsync("events.read", new { agent = name, after_sequence = 4, limit = 10, raw = true }))["result"]!;

        Assert.Multiple(() =>
        {
            Assert.That(first["session_id"]!.GetValue<string>(), Is.EqualTo(agent.SessionId));
            Assert.That(first["events"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()), Is.EqualTo(new[] { "line 1", "line 2" }));
            Assert.That(first["has_more"]!.GetValue<bool>(), Is.True);
            Assert.That(cursor, Is.EqualTo(2));
            Assert.That(rest["events"]!.AsArray().Select(e => e!["sequence"]!.GetValue<long>()), Is.EqualTo(new long[] { 3, 4, 5 }));
            Assert.That(rest["has_more"]!.GetValue<bool>(), Is.False);
            Assert.That(rest["events"]![0]!["kind"]!.GetValue<string>(), Is.EqualTo("text"));
            Assert.That(rest["events"]![0]!["segments"]![0]!["kind"]!.GetValue<string>(), Is.EqualTo("plain"));
            Assert.That(raw["events"]![0]!["raw"]!["part"]!["text"]!.GetValue<string>(), Is.EqualTo("line 5"));
        });
    }

    [TestCase(0, 0, "limit must be between 1 and 10000, got 0")]
    [TestCase(10_001, 0, "limit must be between 1 and 10000, got 10001")]
    [TestCase(10, -1, "after_sequence must not be negative")]
    public async Task Events_read_refuses_a_bad_limit_or_cursor(int limit, long after, string message)
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("events.read", new { agent = "anyone", after_sequence = after, limit });

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidParams));
        Assert.That(reply["error"]!["message"]!.GetValue<string>(), Is.EqualTo(message));
    }

    [Test]
    public async Task Events_read_of_an_unknown_agent_is_not_found()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("events.read", new { agent = "nobody_here" });

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.NotFound));
    }

    [Test]
    public async Task A_follower_reading_a_few_events_at_a_time_sees_each_tool_stage_once()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        string name = (await client.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        FakeAgent agent = await engine.LaunchedAsync();
        const string Running = """{"part":{"id":"prt_same","messageID":"msg_1","sessionID":"SES","type":"tool","tool":"bash","callID":"c","state":{"status":"running","input":{"command":"make"},"time":{"start":1795382943400}}}}""";
        var texts = new List<string>();
        long cursor = 0;
        foreach (string payload in new[] { Running, Running, Running.Replace("running", "completed", StringComparison.Ordinal).Replace("1795382943400}", "1795382943400,\"end\":1795382944400}", StringComparison.Ordinal) })
        {
            engine.Append(agent.SessionId, "message.part.updated", payload.Replace("SES", agent.SessionId, StringComparison.Ordinal));
            JsonNode page = (await client.CallAsync("events.read", new { agent = name, after_sequence = cursor }))["result"]!;
            cursor = page["next_cursor"]!.GetValue<long>();
            texts.AddRange(page["events"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()));
        }

        Assert.That(texts, Is.EqualTo(new[] { "bash …make", "bash ✓make (1.0s)" }));
    }

    [Test]
    public async Task Events_subscribers_get_every_new_event_of_the_agents_they_follow_in_order()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient subscriber = await RawRpcClient.ConnectAsync(engine.SocketPath);
        using RawRpcClient other = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await subscriber.CallAsync("events.subscribe", new { topics = new[] { "events" } });
        string name = (await other.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        FakeAgent agent = await engine.LaunchedAsync();

        for (int i = 1; i <= 30; i++)
        {
            engine.Text(agent.SessionId, $"line {i}");
        }

        var texts = new List<string>();
        while (texts.Count < 30)
        {
            JsonObject pushed = await subscriber.ReadAsync();
            Assert.That(pushed["method"]!.GetValue<string>(), Is.EqualTo(RpcNotifications.AgentEvents));
            Assert.That(pushed["params"]!["agent"]!.GetValue<string>(), Is.EqualTo(name));
            texts.AddRange(pushed["params"]!["events"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()));
        }

        Assert.That(texts, Is.EqualTo(Enumerable.Range(1, 30).Select(i => $"line {i}")));
    }

    [Test]
    public async Task An_agents_filter_and_sequence_only_notifications_are_honoured()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient subscriber = await RawRpcClient.ConnectAsync(engine.SocketPath);
        using RawRpcClient other = await RawRpcClient.ConnectAsync(engine.SocketPath);
        string first = (await other.CallAsync("spawn", new { prompt = "one" }))["result"]!["name"]!.GetValue<string>();
        string second = (await other.CallAsync("spawn", new { prompt = "two" }))["result"]!["name"]!.GetValue<string>();
        FakeAgent one = await engine.LaunchedAsync(0);
        FakeAgent two = await engine.LaunchedAsync(1);
        FakeAgent followed = one.Launch.AgentName == second ? one : two;
        FakeAgent ignored = followed == one ? two : one;
        await subscriber.CallAsync("events.subscribe", new { topics = new[] { "events" }, agents = new[] { second }, lines = false });

        engine.Text(ignored.SessionId, "not for you");
        long sequence = engine.Text(followed.SessionId, "for you").Sequence;
        JsonObject pushed = await subscriber.ReadAsync();

        Assert.That(pushed["params"]!.ToJsonString(), Is.EqualTo($$"""{"agent":"{{second}}","session_id":"{{followed.SessionId}}","last_sequence":{{sequence}}}"""));
        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public async Task After_unsubscribing_no_more_notifications_arrive()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient subscriber = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await subscriber.CallAsync("events.subscribe", new { topics = new[] { "status", "events" } });

        JsonObject unsubscribed = await subscriber.CallAsync("events.unsubscribe");
        await engine.Engine.Host.Engine.SetPoolModeAsync(PoolMode.Paused, CancellationToken.None);
        JsonObject next = await subscriber.CallAsync("status.get");

        Assert.That(unsubscribed["result"]!["topics"]!.AsArray(), Is.Empty);
        Assert.That(next["id"], Is.Not.Null, "the next line is the reply, not a notification");
        Assert.That(next["result"]!["mode"]!.GetValue<string>(), Is.EqualTo("paused"));
    }

    [Test]
    public async Task Unsubscribing_one_topic_keeps_the_other()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient subscriber = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await subscriber.CallAsync("events.subscribe", new { topics = new[] { "status", "events" } });

        JsonObject reply = await subscriber.CallAsync("events.unsubscribe", new { topics = new[] { "events" } });
        JsonObject bad = await subscriber.CallAsync("events.unsubscribe", new { topics = new[] { "weather" } });

        Assert.That(reply["result"]!["topics"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "status" }));
        Assert.That(bad["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidParams));
    }

    [Test]
    public async Task Status_subscribers_see_agents_spawn_and_exit()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient subscriber = await RawRpcClient.ConnectAsync(engine.SocketPath);
        using RawRpcClient other = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await subscriber.CallAsync("events.subscribe", new { topics = new[] { "status" } });

        string name = (await other.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        FakeAgent agent = await engine.LaunchedAsync();
        agent.Exit(0);

        JsonNode? mine;
        do
        {
            JsonObject pushed = await subscriber.ReadAsync();
            Assert.That(pushed["method"]!.GetValue<string>(), Is.EqualTo(RpcNotifications.StatusChanged));
            mine = pushed["params"]!["snapshot"]!["agents"]!.AsArray().SingleOrDefault(a => a!["name"]!.GetValue<string>() == name);
        }
        while (mine?["activity"]?.GetValue<string>() != "exited");

        Assert.That(mine!["exit_code"]!.GetValue<int>(), Is.Zero);
        Assert.That(mine["origin"]!.GetValue<string>(), Is.EqualTo("spawn"));
    }

    [Test]
    public async Task A_subscriber_gets_an_agents_last_events_before_the_status_that_shows_it_exited()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient subscriber = await RawRpcClient.ConnectAsync(engine.SocketPath);
        using RawRpcClient other = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await subscriber.CallAsync("events.subscribe", new { topics = new[] { "status", "events" } });
        string name = (await other.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        FakeAgent agent = await engine.LaunchedAsync();

        for (int i = 1; i <= 50; i++)
        {
            engine.Text(agent.SessionId, $"last words {i}");
        }

        agent.Exit(0);
        var texts = new List<string>();
        while (true)
        {
            JsonNode parameters = (await subscriber.ReadAsync())["params"]!;
            texts.AddRange(parameters["events"]?.AsArray().Select(e => e!["text"]!.GetValue<string>()) ?? []);
            if (parameters["snapshot"]?["agents"]?.AsArray().Any(a => a!["name"]!.GetValue<string>() == name && a["activity"]!.GetValue<string>() == "exited") == true)
            {
                break;
            }
        }

        Assert.That(texts, Is.EqualTo(Enumerable.Range(1, 50).Select(i => $"last words {i}")));
    }

    [Test]
    public async Task Agent_steer_reaches_the_agent_and_its_errors_are_plain()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        string name = (await client.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        FakeAgent agent = await engine.LaunchedAsync();

        JsonObject steered = await client.CallAsync("agent.steer", new { agent = name, message = "use the new API" });
        JsonObject status = await client.CallAsync("status.get");
        JsonObject empty = await client.CallAsync("agent.steer", new { agent = name, message = " " });
        JsonObject unknown = await client.CallAsync("agent.steer", new { agent = "nobody_here", message = "hi" });

        Assert.That(steered["result"]!["ok"]!.GetValue<bool>(), Is.True);
        Assert.That(agent.Steers, Has.Count.EqualTo(1).And.Some.EndsWith(": use the new API"));
        Assert.That(
            status["result"]!["decisions"]!.AsArray().Select(d => d!["message"]!.GetValue<string>()),
            Has.Some.StartsWith($"{name} steered by ").And.Some.EndsWith(": use the new API"),
            "the steer is on record when agent.steer returns");
        Assert.That(empty["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidParams));
        Assert.That(unknown["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.NotFound));
        Assert.That(unknown["error"]!["message"]!.GetValue<string>(), Is.EqualTo("no running agent is named 'nobody_here'"));
    }

    [Test]
    public async Task Agent_permission_without_an_opencode_session_is_unsupported_and_a_bad_reply_invalid()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        string name = (await client.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        await engine.LaunchedAsync();

        JsonObject unsupported = await client.CallAsync("agent.permission", new { agent = name, reply = "once" });
        JsonObject bad = await client.CallAsync("agent.permission", new { agent = name, reply = "maybe" });

        Assert.That(unsupported["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.Unsupported));
        Assert.That(bad["error"]!["message"]!.GetValue<string>(), Is.EqualTo("reply must be once, always or reject, got 'maybe'"));
    }

    [Test]
    public async Task Sessions_list_returns_this_projects_sessions_newest_first()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        await engine.RegisterAsync("ses_old", workRef: "spawn-a", status: SessionStatus.Idle);
        await engine.RegisterAsync("ses_other", project: "someone-else");
        await engine.RegisterAsync("ses_new", workRef: "ts-b");
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonArray sessions = (await client.CallAsync("sessions.list"))["result"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(sessions.Select(s => s!["session_id"]!.GetValue<string>()), Is.EqualTo(new[] { "ses_new", "ses_old" }));
            Assert.That(sessions[1]!["status"]!.GetValue<string>(), Is.EqualTo("idle"));
            Assert.That(sessions[1]!["origin"]!.GetValue<string>(), Is.EqualTo("spawn"));
            Assert.That(sessions[1]!["work_ref"]!.GetValue<string>(), Is.EqualTo("spawn-a"));
            Assert.That(sessions[1]!["agent"]!.GetValue<string>(), Is.EqualTo("calm_otter"));
            Assert.That(sessions[1]!["server_ref"]!.GetValue<string>(), Is.EqualTo("http://127.0.0.1:4096/"));
        });
    }

    [Test]
    public async Task Sessions_list_of_an_engine_without_a_registry_is_empty()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("sessions.list");

        Assert.That(reply["result"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Session_attach_names_the_server_of_a_registered_session()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        await engine.RegisterAsync("ses_abc", serverRef: "http://127.0.0.1:4096/", workRef: "spawn-x");
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonNode result = (await client.CallAsync("session.attach", new { session_id = "ses_abc" }))["result"]!;

        Assert.That(result.ToJsonString(), Is.EqualTo("""{"session_id":"ses_abc","server_url":"http://127.0.0.1:4096/","directory":"/repo/.aetherflow/worktrees/spawn-x","username":"opencode"}"""));
    }

    [TestCase("ses_missing", RpcErrorCodes.NotFound, "no session 'ses_missing' in project 'demo'; 'aetherflow sessions' lists them")]
    [TestCase("../etc", RpcErrorCodes.InvalidParams, "invalid params for session.attach: '../etc' is not a session id (letters, digits, '_' and '-', like ses_4f1c2a) (Parameter 'sessionId')")]
    [TestCase("", RpcErrorCodes.InvalidParams, "session_id is required, e.g. {\"session_id\": \"ses_4f1c2a\"}")]
    [TestCase("ses_gone", RpcErrorCodes.Unsupported, "session 'ses_gone' belongs to server managed:demo, which this engine does not run (an earlier engine's server is gone with it)")]
    public async Task Session_attach_errors_say_what_is_wrong(string session, int code, string message)
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        await engine.RegisterAsync("ses_gone", serverRef: "managed:demo");
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("session.attach", new { session_id = session });

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(code));
        Assert.That(reply["error"]!["message"]!.GetValue<string>(), Is.EqualTo(message));
    }

    [Test]
    public async Task Session_attach_on_an_engine_without_sessions_is_unsupported()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("session.attach", new { session_id = "ses_abc" });

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.Unsupported));
    }

    [Test]
    public async Task A_stopping_engine_refuses_spawns_and_resuming_but_keeps_answering()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await engine.Engine.Host.Engine.StopAcceptingWorkAsync(PoolMode.Draining, "test", CancellationToken.None);

        JsonObject spawn = await client.CallAsync("spawn", new { prompt = "too late" });
        JsonObject resume = await client.CallAsync("pool.resume");
        JsonObject status = await client.CallAsync("status.get");

        Assert.That(spawn["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.Conflict));
        Assert.That(spawn["error"]!["message"]!.GetValue<string>(), Is.EqualTo("the engine is stopping and takes no new agents; start it again to spawn"));
        Assert.That(resume["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.Conflict));
        Assert.That(status["result"]!["mode"]!.GetValue<string>(), Is.EqualTo("draining"));
    }

    [Test]
    public async Task Shutdown_without_agents_needs_no_force()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("engine.shutdown");

        Assert.That(reply["result"]!.ToJsonString(), Is.EqualTo("""{"stopping":true,"running_agents":0}"""));
        Assert.That(engine.Engine.Host.ShutdownRequested.IsCancellationRequested, Is.True);
    }
}
