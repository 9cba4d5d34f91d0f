using System.Text.Json.Nodes;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Tests.Pool.Fakes;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>Spawn, stop, subscriptions and shutdown over a real socket, with the agents themselves faked.</summary>
[NonParallelizable]
public sealed class EngineRpcMethodsTests
{
    private TestHome home = null!;
    private FakeRuntime runtime = null!;
    private FakeTaskSource tasks = null!;

    [SetUp]
    public void SetUp()
    {
        home = new TestHome();
        runtime = new FakeRuntime();
        tasks = new FakeTaskSource();
    }

    [TearDown]
    public void TearDown() => home.Dispose();

    [Test]
    public async Task Spawn_starts_an_agent_that_status_then_lists()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("spawn", new { prompt = "Tidy the README" });
        string name = reply["result"]!["name"]!.GetValue<string>();
        await Eventually.TrueAsync(() => runtime.Launched.Count == 1, "the spawned agent to launch");
        JsonNode status = (await client.CallAsync("status.get"))["result"]!;

        Assert.That(reply["result"]!["origin"]!.GetValue<string>(), Is.EqualTo("spawn"));
        Assert.That(status["agents"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()), Does.Contain(name));
        Assert.That(runtime.Launched[0].Launch.Prompt, Is.EqualTo($"spawn prompt {reply["result"]!["task_id"]!.GetValue<string>()}: Tidy the README"));
    }

    [Test]
    public async Task Spawn_with_an_empty_prompt_is_invalid_params()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("spawn", new { prompt = "" });

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidParams));
        Assert.That(reply["error"]!["message"]!.GetValue<string>(), Does.Contain("the spawn prompt is empty"));
    }

    [Test]
    public async Task Stopping_an_unknown_agent_is_not_found()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("agent.stop", new { agent = "nobody_here" });
        JsonObject missing = await client.CallAsync("agent.stop", new { });

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.NotFound));
        Assert.That(reply["error"]!["message"]!.GetValue<string>(), Is.EqualTo("no running agent is named 'nobody_here'"));
        Assert.That(missing["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidParams));
    }

    [Test]
    public async Task Stop_stops_a_running_agent()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        string name = (await client.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();
        await Eventually.TrueAsync(() => engine.Host.Engine.Snapshot.Agents.Any(a => a.Activity == AgentActivity.Busy), "the agent to run");

        JsonObject reply = await client.CallAsync("agent.stop", new { agent = name });

        Assert.That(reply["result"]!["ok"]!.GetValue<bool>(), Is.True);
        await Eventually.TrueAsync(() => runtime.Launched[0].StopCalls == 1, "the stop to reach the agent");
    }

    [Test]
    public async Task An_engine_without_a_runtime_says_spawn_is_unsupported()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("spawn", new { prompt = "x" });

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.Unsupported));
    }

    [Test]
    public async Task Attach_info_for_an_unknown_agent_is_not_found_and_for_an_agent_without_opencode_unsupported()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        string name = (await client.CallAsync("spawn", new { prompt = "work" }))["result"]!["name"]!.GetValue<string>();

        JsonObject unknown = await client.CallAsync("agent.attach", new { agent = "nobody_here" });
        JsonObject fake = await client.CallAsync("agent.attach", new { agent = name });

        Assert.That(unknown["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.NotFound));
        Assert.That(fake["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.Unsupported));
        Assert.That(fake["error"]!["message"]!.GetValue<string>(), Does.Contain("runs without opencode"));
    }

    [Test]
    public async Task Sessions_list_is_empty_without_a_session_registry()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("sessions.list");

        Assert.That(reply["error"], Is.Null, reply.ToJsonString());
        Assert.That(reply["result"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Subscribers_receive_status_changes_as_notifications()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient subscriber = await RawRpcClient.ConnectAsync(engine.SocketPath);
        using RawRpcClient other = await RawRpcClient.ConnectAsync(engine.SocketPath);
        JsonObject subscribed = await subscriber.CallAsync("events.subscribe", new { topics = new[] { "status" } });

        await other.CallAsync("pool.drain");
        JsonObject pushed = await subscriber.ReadAsync();
        while (pushed["params"]!["snapshot"]!["mode"]!.GetValue<string>() != "draining")
        {
            pushed = await subscriber.ReadAsync();
        }

        Assert.That(subscribed["result"]!["topics"]![0]!.GetValue<string>(), Is.EqualTo("status"));
        Assert.That(pushed["method"]!.GetValue<string>(), Is.EqualTo(RpcNotifications.StatusChanged));
        Assert.That(pushed["id"], Is.Null);
    }

    [Test]
    public async Task Subscribing_to_an_unknown_topic_is_invalid_params()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("events.subscribe", new { topics = new[] { "weather" } });

        Assert.That(reply["error"]!["message"]!.GetValue<string>(), Is.EqualTo("unknown topic 'weather'; this engine offers: status, events"));
    }

    [Test]
    public async Task Shutdown_is_refused_while_agents_run_unless_forced()
    {
        await using RunningEngine engine = await StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await client.CallAsync("spawn", new { prompt = "busy" });
        await Eventually.TrueAsync(() => runtime.Launched.Count == 1, "the agent to launch");

        JsonObject refused = await client.CallAsync("engine.shutdown");
        Assert.That(refused["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.Conflict));
        Assert.That(refused["error"]!["message"]!.GetValue<string>(), Does.StartWith("1 agent is running"));
        Assert.That(engine.Host.ShutdownRequested.IsCancellationRequested, Is.False);

        JsonObject forced = await client.CallAsync("engine.shutdown", new { force = true });
        Assert.That(forced["result"]!["stopping"]!.GetValue<bool>(), Is.True);
        Assert.That(engine.Host.ShutdownRequested.IsCancellationRequested, Is.True);
    }

    [Test]
    public async Task A_remote_engine_mirrors_the_local_one()
    {
        await using RunningEngine engine = await StartAsync();
        await using RemoteEngine remote = await RemoteEngine.ConnectAsync(engine.SocketPath, CancellationToken.None);

        AgentInfo spawned = await remote.SpawnAsync(new SpawnRequest { Prompt = "remote work" }, CancellationToken.None);
        await Eventually.TrueAsync(() => remote.Snapshot.Agents.Any(a => a.Name == spawned.Name && a.Activity == AgentActivity.Busy), "the remote snapshot to show the agent running");
        PoolMode mode = await remote.SetPoolModeAsync(PoolMode.Paused, CancellationToken.None);
        await Eventually.TrueAsync(() => remote.Snapshot.Mode == PoolMode.Paused, "the remote snapshot to show paused");

        Assert.That(mode, Is.EqualTo(PoolMode.Paused));
        Assert.That(remote.Identity.Project, Is.EqualTo("demo"));
        Assert.That(engine.Host.Engine.Snapshot.Mode, Is.EqualTo(PoolMode.Paused));
    }

    [Test]
    public async Task Connecting_where_no_engine_runs_says_how_to_start_one()
    {
        string socket = Path.Combine(home.Root, "nothing.sock");

        var error = await Assert.ThrowsAsync<EngineNotRunningException>(() => EngineClient.ConnectAsync(socket, CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo($"no aetherflow engine is running on {socket}; start one with 'aetherflow' (dashboard) or 'aetherflow --headless'"));
    }

    private Task<RunningEngine> StartAsync() => RunningEngine.StartAsync(home, components: (_, _, _) => Task.FromResult<EngineComponents?>(new EngineComponents
    {
        Tasks = tasks,
        Runtime = runtime,
        Workspaces = new FakeWorkspaces(),
        Prompts = new FakePrompts(),
    }));
}
