using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Aetherflow.Tui.Ui;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>
/// How engine changes reach the screen: the first change after a quiet moment is drawn on the UI loop's next turn
/// (leading edge), and changes during the interval after a redraw are folded into one redraw at its end (trailing
/// edge). Changes are raised from another thread, as the engine raises them.
/// </summary>
[NonParallelizable]
public sealed class RedrawThrottleTests
{
    [Test]
    public void A_change_after_a_quiet_moment_is_drawn_on_the_next_loop_turn_without_waiting()
    {
        var engine = new StubEngine();
        using var ui = new DashboardHarness(engine);

        FromEngineThread(() => engine.Publish(SampleAgents.Busy));
        ui.App.TimedEvents!.RunTimers();

        Assert.That(ui.Text, Does.Contain("calm_otter"), "drawn by the redraw itself, with no time passing");
    }

    [Test]
    public void Changes_during_the_interval_after_a_redraw_are_folded_into_one_redraw_at_its_end()
    {
        var engine = new StubEngine();
        using var ui = new DashboardHarness(engine);
        FromEngineThread(() => engine.Publish(SampleAgents.Busy));
        ui.App.TimedEvents!.RunTimers();

        FromEngineThread(() => engine.Publish(s => s with { Mode = PoolMode.Draining }));
        FromEngineThread(() => engine.Publish(s => s with { Mode = PoolMode.Paused }));
        ui.App.TimedEvents.RunTimers();
        string during = ui.Line(0);
        ui.UiTime.Advance(DashboardApp.MinRedrawInterval);
        ui.App.TimedEvents.RunTimers();

        Assert.That(during, Does.Contain("[active]"), "within the interval the screen keeps the last redraw");
        Assert.That(ui.Line(0), Does.Contain("[paused]").And.Not.Contain("[draining]"), "the interval's end draws the latest state once");
    }

    [Test]
    public void After_a_quiet_interval_the_next_change_is_again_drawn_at_once()
    {
        var engine = new StubEngine();
        using var ui = new DashboardHarness(engine);
        FromEngineThread(() => engine.Publish(SampleAgents.Busy));
        ui.App.TimedEvents!.RunTimers();
        ui.UiTime.Advance(DashboardApp.MinRedrawInterval);
        ui.App.TimedEvents.RunTimers();

        FromEngineThread(() => engine.Publish(s => s with { Mode = PoolMode.Paused }));
        ui.App.TimedEvents.RunTimers();

        Assert.That(ui.Line(0), Does.Contain("[paused]"));
    }

    [Test]
    public void A_clock_tick_that_changes_nothing_on_screen_draws_nothing()
    {
        var engine = new StubEngine();
        engine.Publish(s => s with { Agents = [SampleAgents.Worker("ghost_wolf", "ts-a1b2c3", "Fix", AgentActivity.Busy, TimeSpan.FromMinutes(10))] });
        using var ui = new DashboardHarness(engine);
        int draws = 0;
        ui.App.LayoutAndDrawComplete += (_, _) => draws++;

        ui.UiTime.Advance(TimeSpan.FromSeconds(1));
        ui.Clock.Advance(TimeSpan.FromSeconds(1));
        ui.App.TimedEvents!.RunTimers();
        ui.App.LayoutAndDraw();
        int afterASecond = draws;
        ui.UiTime.Advance(TimeSpan.FromSeconds(1));
        ui.Clock.Advance(TimeSpan.FromMinutes(1));
        ui.App.TimedEvents.RunTimers();
        ui.App.LayoutAndDraw();

        Assert.That(afterASecond, Is.Zero, "10m is still 10m: nothing to draw");
        Assert.That(draws, Is.EqualTo(1), "11m is new: drawn");
        Assert.That(ui.Text, Does.Contain("11m"));
    }

    // The engine raises changes on its own threads; the UI thread (this test's) stays free to run the loop.
    private static void FromEngineThread(Action change) =>
        Assert.That(Task.Run(change).Wait(TimeSpan.FromSeconds(10)), Is.True, "the change was raised");
}
