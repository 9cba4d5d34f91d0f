using Aetherflow.Tui.Tests.Support;
using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Loop;
using Microsoft.Extensions.Time.Testing;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace Aetherflow.Tui.Tests.Ui.Loop;

/// <summary>
/// Terminal.Gui's real main loop, paced by events: it sleeps on a clock that never moves here, so everything it does
/// below was woken by the work itself, not by time passing.
/// </summary>
[NonParallelizable]
public sealed class PacedLoopTests
{
    [Test]
    public void Terminal_Gui_reads_input_through_the_waking_input()
    {
        using var terminal = DashboardTerminal.Open(new FakeTimeProvider(), why => Assert.Fail(why));

        Assert.That(terminal.InputWakes, Is.True, "the component factory was taken (Terminal.Gui internals this relies on)");
    }

    [Test]
    public async Task An_engine_change_from_another_thread_is_drawn_without_any_input_or_time_passing()
    {
        var clock = new FakeTimeProvider(DashboardHarness.Start);
        using var terminal = DashboardTerminal.Open(clock, why => Assert.Fail(why));
        terminal.App.Driver!.SetScreenSize(100, 30);
        var engine = new StubEngine();
        using var dashboard = new DashboardApp(terminal.App, engine, Theme.Create(false), clock, new DashboardOptions { Sender = "dashboard (tester)" });
        using var stop = new CancellationTokenSource();
        Thread ui = StartLoop(() => dashboard.Run(stop.Token));
        try
        {
            await Wait.UntilAsync(() => terminal.Signal.Waiting, "the loop to fall asleep");

            await Task.Run(() => engine.Publish(SampleAgents.Busy));

            await Wait.UntilAsync(() => terminal.App.Driver!.ToString()!.Contains("calm_otter", StringComparison.Ordinal), "the change on screen");
        }
        finally
        {
            await stop.CancelAsync();
            Assert.That(ui.Join(TimeSpan.FromSeconds(20)), Is.True, "a stop from another thread wakes the loop too");
        }
    }

    [Test]
    public async Task An_idle_loop_turns_once_for_posted_work_and_draws_nothing_that_did_not_change()
    {
        using var terminal = DashboardTerminal.Open(new FakeTimeProvider(), why => Assert.Fail(why));
        IApplication app = terminal.App;
        using var window = new Window { Title = "idle" };
        int draws = 0;
        int ran = 0;
        app.LayoutAndDrawComplete += (_, _) => Interlocked.Increment(ref draws);
        Thread ui = StartLoop(() => app.Run(window));
        try
        {
            await Wait.UntilAsync(() => terminal.Signal.Waiting && Volatile.Read(ref draws) > 0, "the first frame, then sleep");
            long turns = terminal.Signal.Wakes;
            int frames = Volatile.Read(ref draws);

            await Task.Run(() => app.Invoke(() => Interlocked.Increment(ref ran)));
            await Wait.UntilAsync(() => Volatile.Read(ref ran) == 1 && terminal.Signal.Waiting && terminal.Signal.Wakes > turns, "the work to run and the loop to sleep again");

            Assert.That(terminal.Signal.Wakes, Is.EqualTo(turns + 1), "one turn for one piece of work");
            Assert.That(Volatile.Read(ref draws), Is.EqualTo(frames), "nothing changed on screen, nothing drawn");
        }
        finally
        {
            app.Invoke(() => app.RequestStop());
            Assert.That(ui.Join(TimeSpan.FromSeconds(20)), Is.True);
        }
    }

    private static Thread StartLoop(Action run)
    {
        var thread = new Thread(() => run()) { IsBackground = true, Name = "ui" };
        thread.Start();
        return thread;
    }
}
