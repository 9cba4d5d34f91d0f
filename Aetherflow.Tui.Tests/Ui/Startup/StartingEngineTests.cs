using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Aetherflow.Tui.Ui.Startup;

namespace Aetherflow.Tui.Tests.Ui.Startup;

/// <summary>
/// The dashboard draws before its engine is up: a stand-in says so, commands wait for the engine, and once it is there
/// its state replaces the stand-in. The engine arrives from another thread, as it does from the real start.
/// </summary>
[NonParallelizable]
public sealed class StartingEngineTests
{
    [Test]
    public void The_dashboard_says_the_engine_is_starting_then_shows_its_state_when_it_is_up()
    {
        var starting = new TaskCompletionSource<IEngine>(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new StartingEngine(starting.Task, "bench", "Starting the engine…");
        using var ui = new DashboardHarness(engine);
        string before = ui.Text;

        var stub = new StubEngine();
        stub.Publish(SampleAgents.Busy);
        Assert.That(Task.Run(() => starting.SetResult(stub)).Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(engine.Ready.Wait(TimeSpan.FromSeconds(10)), Is.True, "the engine was adopted");
        ui.App.TimedEvents!.RunTimers();

        Assert.That(before, Does.Contain("bench").And.Contain("Starting the engine…"));
        Assert.That(before, Does.Not.Contain("No agents running"), "no claim about agents before the engine answers");
        Assert.That(before, Does.Not.Contain("[active]").And.Not.Contain("pool 0/0"), "no claim about the pool before the engine answers");
        Assert.That(ui.Text, Does.Contain("calm_otter").And.Not.Contain("Starting the engine…"));
        Assert.That(ui.Text, Does.Contain("[active]"), "the header shows the pool once the engine is up");
    }

    [Test]
    public async Task A_command_given_while_the_engine_starts_waits_for_it_and_then_reaches_it()
    {
        var starting = new TaskCompletionSource<IEngine>(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new StartingEngine(starting.Task, "bench", "Starting the engine…");
        var stub = new StubEngine();

        Task<PoolMode> pause = engine.SetPoolModeAsync(PoolMode.Paused, CancellationToken.None);
        bool waited = !pause.IsCompleted && stub.ModeRequests.Count == 0;
        starting.SetResult(stub);

        Assert.That(await pause.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(PoolMode.Paused));
        Assert.That(waited, Is.True, "nothing reached an engine that was not there yet");
        Assert.That(stub.ModeRequests, Is.EqualTo(new[] { PoolMode.Paused }));
    }

    [Test]
    public async Task When_the_start_fails_commands_fail_with_its_error()
    {
        var starting = new TaskCompletionSource<IEngine>(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new StartingEngine(starting.Task, "bench", "Starting the engine…");

        starting.SetException(new IOException("the socket folder is not writable"));

        IOException? error = await Assert.ThrowsAsync<IOException>(() => engine.StopAgentAsync("calm_otter", "tester", CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("the socket folder is not writable"));
        Assert.That(StartingEngine.IsStandIn(engine.Snapshot), Is.True, "the stand-in stays; the caller closes the dashboard");
    }

    [Test]
    public async Task Who_subscribes_after_the_engine_arrived_still_hears_of_it_once()
    {
        var stub = new StubEngine();
        stub.Publish(SampleAgents.Busy);
        var engine = new StartingEngine(Task.FromResult<IEngine>(stub), "bench", "Starting the engine…");
        await engine.Ready;

        var heard = new TaskCompletionSource<EngineSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.SnapshotChanged += (_, snapshot) => heard.TrySetResult(snapshot);

        EngineSnapshot told = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(told.Agents.Select(a => a.Name), Does.Contain("calm_otter"));
        Assert.That(StartingEngine.IsStandIn(engine.Snapshot), Is.False);
    }

    [Test]
    public async Task Changes_and_new_events_of_the_started_engine_are_passed_on()
    {
        var stub = new StubEngine();
        var engine = new StartingEngine(Task.FromResult<IEngine>(stub), "bench", "Starting the engine…");
        await engine.Ready;
        var snapshots = new List<EngineSnapshot>();
        var appended = new List<AgentEventsAppended>();
        engine.SnapshotChanged += (_, snapshot) =>
        {
            lock (snapshots)
            {
                snapshots.Add(snapshot);
            }
        };
        engine.EventsAppended += (_, e) => appended.Add(e);

        stub.Publish(s => s with { Mode = PoolMode.Draining });
        stub.AppendEvent("calm_otter", SampleAgents.Event(1, "text", ("text", "hello")));

        await Wait.UntilAsync(() => { lock (snapshots) { return snapshots.Any(s => s.Mode == PoolMode.Draining); } }, "the change passed on");
        Assert.That(engine.Snapshot.Mode, Is.EqualTo(PoolMode.Draining));
        Assert.That(appended.Select(e => e.Agent), Is.EqualTo(new[] { "calm_otter" }));
    }
}
