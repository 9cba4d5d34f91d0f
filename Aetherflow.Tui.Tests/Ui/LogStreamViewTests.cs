using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Views;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>The log stream: full screen, follows pushed events, scrolling, g/G, filter with highlights, sanitising.</summary>
[NonParallelizable]
public sealed class LogStreamViewTests
{
    [Test]
    public void L_opens_the_log_full_screen_and_it_follows_the_newest_event()
    {
        using var ui = Busy(events: 60);

        ui.Press(Key.L);

        Assert.That(ui.Current, Is.InstanceOf<LogStreamView>());
        Approvals.Verify(ui.Text, "Log.Following");
        Assert.That(ui.Text, Does.Contain("[follow]").And.Contain("step 60").And.Not.Contain("step 1 "));
        (int row, int column) = ui.Find("[follow]");
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightGreen)));
    }

    [Test]
    public void Pushed_events_appear_without_polling()
    {
        using var ui = Busy(events: 3);
        ui.Press(Key.L);
        int reads = ui.Stub.EventReads;

        ui.Pump(TimeSpan.FromMinutes(1));
        Assert.That(ui.Stub.EventReads, Is.EqualTo(reads), "no reads while nothing is pushed");

        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(4, "tool", ("tool", "bash"), ("plain", " make release")));
        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Text, Does.Contain("make release"));
        Assert.That(ui.Stub.EventReads, Is.EqualTo(reads + 1));
    }

    [Test]
    public void New_events_are_read_at_once_even_while_a_redraw_interval_runs()
    {
        using var ui = Busy(events: 3);
        ui.Press(Key.L);
        ui.Pump(TimeSpan.FromMinutes(1));

        // A snapshot change is drawn at once and starts an interval in which further snapshot redraws wait.
        ui.Stub.Publish(s => s with { Mode = PoolMode.Draining });
        ui.Pump();
        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(4, "tool", ("tool", "bash"), ("plain", " make release")));
        ui.Pump();

        Assert.That(ui.Text, Does.Contain("make release"), "events do not wait for the snapshot's redraw interval");
    }

    [Test]
    public void A_busy_agents_events_are_read_at_most_once_a_frame()
    {
        using var ui = Busy(events: 3);
        ui.Press(Key.L);
        ui.Pump(TimeSpan.FromMinutes(1));
        int reads = ui.Stub.EventReads;

        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(4, "tool", ("plain", "first burst")));
        ui.Pump();
        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(5, "tool", ("plain", "second burst")));
        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(6, "tool", ("plain", "third burst")));
        ui.Pump();
        int withinTheFrame = ui.Stub.EventReads;
        string screenWithinTheFrame = ui.Text;
        ui.Pump(DashboardApp.MinRedrawInterval);

        Assert.That(screenWithinTheFrame, Does.Contain("first burst").And.Not.Contain("second burst"));
        Assert.That(withinTheFrame, Is.EqualTo(reads + 1), "the first event after a quiet moment is read at once, the next wait for the frame to pass");
        Assert.That(ui.Text, Does.Contain("second burst").And.Contain("third burst"));
        Assert.That(ui.Stub.EventReads, Is.EqualTo(reads + 2), "what came during the frame is read together");
    }

    [Test]
    public void Scrolling_up_stops_following_and_G_follows_again()
    {
        using var ui = Busy(events: 60);
        ui.Press(Key.L);
        var log = (LogStreamView)ui.Current;

        ui.Press(Key.K);
        Assert.That(log.Following, Is.False);
        Assert.That(ui.Text, Does.Contain("(G follows)"));
        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(61, "tool", ("plain", "brand new")));
        ui.Pump(TimeSpan.FromMilliseconds(60));
        Assert.That(ui.Text, Does.Not.Contain("brand new"), "a paused view stays where it is");

        ui.Press(Key.G.WithShift);
        Assert.That(log.Following, Is.True);
        Assert.That(ui.Text, Does.Contain("brand new"));
    }

    [Test]
    public void Little_g_goes_to_the_first_event()
    {
        using var ui = Busy(events: 60);
        ui.Press(Key.L);

        ui.Press(Key.G);

        Assert.That(ui.Text, Does.Contain("step 1 ").And.Not.Contain("step 60"));
        Assert.That(((LogStreamView)ui.Current).Following, Is.False);
    }

    [Test]
    public void A_long_history_is_read_in_pages()
    {
        using var ui = Busy(events: 1200);

        ui.Press(Key.L);

        Assert.That(ui.Stub.EventReads, Is.EqualTo(3), "500 + 500 + 200");
        Assert.That(ui.Text, Does.Contain("step 1200").And.Contain("1200 events"));
    }

    [Test]
    public void The_filter_keeps_matching_lines_and_highlights_the_matches()
    {
        using var ui = Busy(events: 30);
        ui.Press(Key.L);

        ui.Press(new Key('/'));
        ui.Type("step 1[0-9]");
        ui.Press(Key.Enter);

        Approvals.Verify(ui.Text, "Log.Filtered");
        Assert.That(ui.Text, Does.Contain("step 15").And.Not.Contain("step 22"));
        (int row, int column) = ui.Find("step 15");
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Background, Is.EqualTo(new Color(StandardColor.BrightYellow)));

        // The view paints its own blanks (it skips Terminal.Gui's clear): the rest of a line and the rows the filter
        // emptied are spaces in the same colours.
        (int lastRow, _) = ui.Find("step 19");
        Cell afterText = ui.CellAt(lastRow, 60);
        Cell emptyRow = ui.CellAt(lastRow + 3, 60);
        Assert.That((afterText.Grapheme, emptyRow.Grapheme), Is.EqualTo((" ", " ")));
        Assert.That(emptyRow.Attribute, Is.EqualTo(afterText.Attribute));
    }

    [Test]
    public void Agent_text_is_sanitised_before_it_reaches_the_screen()
    {
        using var ui = Busy(events: 0);
        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(1, "text", ("plain", "look \u001b]0;pwned\u0007here\u001b[31m red \u009b2J")) with { Detail = "detail \u001b[2J" });

        ui.Press(Key.L);

        Assert.That(ui.Text, Does.Contain("look here red").And.Contain("↳ detail"));
        Assert.That(ui.App.Driver!.ToAnsi(), Does.Not.Contain("\u001b]0;").And.Not.Contain("pwned"));
    }

    [Test]
    public void Kinds_are_coloured()
    {
        using var ui = Busy(events: 0);
        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(1, "tool", ("tool", "bash"), ("plain", " ls "), ("failure", "exit 2")));

        ui.Press(Key.L);

        (int row, int column) = ui.Find("exit 2");
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightRed)));
        (row, column) = ui.Find("bash");
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.Cyan)));
    }

    [Test]
    public void Closing_the_log_before_its_events_arrive_drops_them_quietly()
    {
        using var ui = Busy(events: 10);

        ui.App.InjectKey(Key.L);
        ui.App.InjectKey(Key.Esc);
        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Current, Is.InstanceOf<DashboardView>());
        Assert.That(ui.Text, Does.Contain("ghost_wolf"));
    }

    [Test]
    public void An_agent_without_events_says_so()
    {
        using var ui = Busy(events: 0);

        ui.Press(Key.L);

        Assert.That(ui.Text, Does.Contain("No events yet"));
    }

    [Test]
    public void Steer_and_stop_work_from_the_log_stream()
    {
        using var ui = Busy(events: 3);
        ui.Press(Key.L);

        ui.Press(Key.S);
        ui.Type("hi");
        ui.Press(Key.Enter);
        ui.Press(Key.X);
        ui.Press(Key.Y);

        Assert.That(ui.Stub.Requests, Is.EqualTo(new[] { "steer ghost_wolf by dashboard (tester): hi", "stop ghost_wolf by dashboard (tester)" }));
    }

    [Test]
    public void The_log_fits_80_by_24()
    {
        using var ui = Busy(events: 60, width: 80, height: 24);

        ui.Press(Key.L);

        Approvals.Verify(ui.Text, "Log.Following.80x24");
        Assert.That(ui.Text.Split('\n').All(l => l.TrimEnd().Length <= 80), Is.True);
        Assert.That(ui.FooterText, Does.Contain("<q> quit"));
        Assert.That(ui.Text, Does.Contain("step 60"));
    }

    private static DashboardHarness Busy(int events, int width = 100, int height = 30)
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        for (int i = 1; i <= events; i++)
        {
            engine.AppendEvent("ghost_wolf", SampleAgents.Event(i, "tool", ("tool", "bash"), ("plain", $" step {i} "), ("success", "ok")));
        }

        return new DashboardHarness(engine, width: width, height: height);
    }
}
