using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Tests.Ui;

[NonParallelizable]
public sealed class DashboardScreenTests
{
    [Test]
    public void Empty_state_says_no_agents_and_how_many_slots_are_idle()
    {
        using var ui = new DashboardHarness();

        Approvals.Verify(ui.Text, "Dashboard.Empty");
        Assert.That(ui.Text, Does.Contain("No agents running — 3 slots idle"));
        Assert.That(ui.Text, Does.Contain("pool 0/3 [active]"));
    }

    [Test]
    public void Populated_state_lists_pool_and_spawned_agents_and_the_queue()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);

        Approvals.Verify(ui.Text, "Dashboard.Populated");
        Assert.Multiple(() =>
        {
            Assert.That(ui.Text, Does.Contain("pool 2/3"));
            Assert.That(ui.Text, Does.Contain("calm_otter"), "spawned agents are shown too");
            Assert.That(ui.Text, Does.Contain("ts-777777"));
            Assert.That(ui.Text, Does.Contain("exited 1"));
        });
    }

    [Test]
    public void Fits_80_by_24_with_graceful_truncation()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine, width: 80, height: 24);

        Approvals.Verify(ui.Text, "Dashboard.Populated.80x24");
        Assert.That(ui.Text.Split('\n').All(l => l.TrimEnd().Length <= 80), Is.True);
        Assert.That(ui.Text, Does.Contain("<q> quit"), "key hints stay on screen");
    }

    [Test]
    public void Resizing_relayouts_every_pane()
    {
        using var ui = new DashboardHarness(width: 80, height: 24);

        ui.Resize(120, 40);

        Assert.That(ui.Find("<q> quit").Row, Is.EqualTo(39));
        Assert.That(ui.Text.Split('\n')[1].TrimEnd(), Has.Length.EqualTo(120));
    }

    [TestCase("q")]
    [TestCase("esc")]
    [TestCase("ctrl+c")]
    public void Quit_keys_stop_the_dashboard(string which)
    {
        using var ui = new DashboardHarness();
        Key key = which switch { "q" => Key.Q, "esc" => Key.Esc, _ => Key.C.WithCtrl };

        ui.Press(key);

        Assert.That(ui.QuitRequests, Is.EqualTo(1));
        Assert.That(ui.Screen.StopRequested, Is.True);
    }

    [Test]
    public void Q_quits_even_when_the_agent_table_has_focus()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);
        ui.Press(Key.J);

        ui.Press(Key.Q);

        Assert.That(ui.QuitRequests, Is.EqualTo(1));
    }

    [Test]
    public void J_and_k_move_the_selection()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);

        ui.Press(Key.J);
        ui.Press(Key.J);
        ui.Press(Key.K);

        Assert.That(ui.Screen.SelectedAgent?.Name, Is.EqualTo("neon_daemon"));
    }

    [Test]
    public void The_selection_stays_on_the_same_agent_when_the_list_changes()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);
        ui.Press(Key.J);

        engine.Publish(s => s with { Agents = [SampleAgents.Worker("new_one", "ts-999999", "New", AgentActivity.Starting, TimeSpan.Zero), .. s.Agents] });
        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Screen.SelectedAgent?.Name, Is.EqualTo("neon_daemon"));
    }

    [Test]
    public void Engine_changes_are_pushed_to_the_screen_without_polling()
    {
        var engine = new StubEngine();
        using var ui = new DashboardHarness(engine);

        engine.Publish(SampleAgents.Busy);
        Assert.That(ui.Text, Does.Contain("No agents running"), "nothing is drawn before the UI thread runs the update");
        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Text, Does.Contain("ghost_wolf"));
    }

    [Test]
    public void A_burst_of_changes_is_drawn_once()
    {
        var engine = new StubEngine();
        using var ui = new DashboardHarness(engine);
        int renders = 0;
        ui.App.LayoutAndDrawComplete += (_, _) => renders++;

        for (int i = 0; i < 100; i++)
        {
            int n = i;
            engine.Publish(s => s with { Queue = [new QueuedTask($"ts-{n:000000}", 1, "task")] });
        }

        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Text, Does.Contain("ts-000099"));
        Assert.That(renders, Is.LessThanOrEqualTo(2), "100 changes are folded into one redraw");
    }

    [Test]
    public void Tab_moves_focus_between_panes()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);

        ui.Press(Key.Tab);
        string afterOne = FocusedPane(ui);
        ui.Press(Key.Tab);

        Assert.That(afterOne, Is.Not.EqualTo(FocusedPane(ui)));
    }

    [TestCase(PoolMode.Draining, "[draining]", StandardColor.BrightYellow)]
    [TestCase(PoolMode.Paused, "[paused]", StandardColor.BrightRed)]
    [TestCase(PoolMode.Active, "[active]", StandardColor.BrightGreen)]
    public void Mode_badges_are_coloured(PoolMode mode, string badge, StandardColor expected)
    {
        var engine = new StubEngine();
        engine.Publish(s => s with { Mode = mode });
        using var ui = new DashboardHarness(engine);

        (int row, int column) = ui.Find(badge);

        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(new Color(expected)));
    }

    [Test]
    public void Without_colour_the_badges_use_the_terminal_default()
    {
        var engine = new StubEngine();
        engine.Publish(s => s with { Mode = PoolMode.Paused });
        using var ui = new DashboardHarness(engine, color: false);

        (int row, int column) = ui.Find("[paused]");

        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(Color.None));
    }

    [Test]
    public void Hostile_agent_text_cannot_reach_the_terminal()
    {
        var engine = new StubEngine();
        engine.Publish(s => s with
        {
            Agents = [SampleAgents.Worker("evil", "ts-123456", "\u001b]0;pwned\u0007title\u001b[2Jwith escapes", AgentActivity.Busy, TimeSpan.Zero)],
        });
        using var ui = new DashboardHarness(engine);

        Assert.That(ui.Text, Does.Contain("titlewith escapes"));
        Assert.That(ui.Text, Does.Not.Contain("pwned"));
        Assert.That(ui.App.Driver!.ToAnsi(), Does.Not.Contain("\u001b]0;"));
    }

    [Test]
    public void Failed_rows_are_red_and_healthy_rows_are_not()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);
        ui.Press(Key.J);

        (int failedRow, int failedColumn) = ui.Find("rust_falcon");
        (int idleRow, int idleColumn) = ui.Find("calm_otter");

        Assert.That(ui.CellAt(failedRow, failedColumn).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightRed)));
        Assert.That(ui.CellAt(idleRow, idleColumn).Attribute!.Value.Foreground, Is.Not.EqualTo(new Color(StandardColor.BrightRed)));
    }

    private static string FocusedPane(DashboardHarness ui) =>
        ui.Screen.SubViews.FirstOrDefault(v => v.HasFocus)?.Title ?? "(none)";
}
