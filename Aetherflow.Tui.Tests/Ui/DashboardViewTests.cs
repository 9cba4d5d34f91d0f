using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>The main view: header, agent table, queue, footer — empty, busy, narrow, pushed updates, colours.</summary>
[NonParallelizable]
public sealed class DashboardViewTests
{
    [Test]
    public void Empty_state_says_no_agents_and_how_many_slots_are_idle()
    {
        using var ui = new DashboardHarness();

        Approvals.Verify(ui.Text, "Dashboard.Empty");
        Assert.That(ui.Text, Does.Contain("No agents running — 3 slots idle"));
        Assert.That(ui.Text, Does.Contain("pool 0/3 [active]"));
        Assert.That(ui.Text, Does.Contain("Manual policy"), "the queue says why it is empty");
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
            Assert.That(ui.Text, Does.Contain("running 3  queued 2  failed 1"));
            Assert.That(ui.Text, Does.Contain("calm_otter"), "spawned agents are shown too");
            Assert.That(ui.Text, Does.Contain("ts-777777 P1"));
            Assert.That(ui.Text, Does.Contain("exited 1"));
            Assert.That(ui.Text, Does.Contain("bash: dotnet test"), "the last tool call");
            Assert.That(ui.Text, Does.Contain("12.3k"), "tokens");
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
        Assert.That(ui.FooterText, Does.Contain("<?> help").And.Contain("<q> quit"), "help and quit always stay in the footer");
        Assert.That(ui.Line(0), Does.Contain("[active]").And.Contain("failed 1"), "the header keeps the mode and the counts");
        Assert.That(ui.Text, Does.Contain("ACTIVITY").And.Contain("exited 1"), "the state of every agent stays readable");
    }

    [Test]
    public void A_very_narrow_terminal_still_draws_without_overflowing()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine, width: 50, height: 16);

        Assert.That(ui.Text.Split('\n').All(l => l.TrimEnd().Length <= 50), Is.True);
        Assert.That(ui.Text, Does.Contain("ghost_wolf").And.Contain("<q> quit"));
    }

    [Test]
    public void Resizing_relayouts_every_pane()
    {
        using var ui = new DashboardHarness(width: 80, height: 24);

        ui.Resize(120, 40);

        Assert.That(ui.Find("<q> quit").Row, Is.EqualTo(39));
        Assert.That(ui.Text.Split('\n')[1].TrimEnd(), Has.Length.EqualTo(120));
    }

    [Test]
    public void J_and_k_and_the_arrows_move_the_selection()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);

        ui.Press(Key.J);
        ui.Press(Key.CursorDown);
        ui.Press(Key.K);
        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("neon_daemon"));

        ui.Press(Key.CursorUp);
        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("ghost_wolf"));
    }

    [Test]
    public void G_and_g_and_pages_jump_through_a_long_table()
    {
        var engine = new StubEngine();
        engine.Publish(s => s with { Agents = Enumerable.Range(0, 60).Select(i => SampleAgents.Worker($"agent_{i:00}", $"ts-{i:000000}", "Task", AgentActivity.Busy, TimeSpan.FromMinutes(i))).ToList() });
        using var ui = new DashboardHarness(engine, width: 100, height: 30);

        ui.Press(Key.G.WithShift);
        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("agent_59"));
        Assert.That(ui.Text, Does.Contain("agent_59"), "the table scrolls to the cursor");

        ui.Press(Key.G);
        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("agent_00"));

        ui.Press(Key.PageDown);
        Assert.That(ui.Current.SelectedAgent?.Name, Is.Not.EqualTo("agent_00").And.Not.EqualTo("agent_01"));
        ui.Press(Key.PageUp);
        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("agent_00"));
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

        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("neon_daemon"));
    }

    [Test]
    public void Engine_changes_are_pushed_to_the_screen_without_polling()
    {
        var engine = new StubEngine();
        using var ui = new DashboardHarness(engine);

        // Raised on an engine thread, as the engine does: the UI thread picks it up on its next turn.
        Assert.That(Task.Run(() => engine.Publish(SampleAgents.Busy)).Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(ui.Text, Does.Contain("No agents running"), "nothing is drawn before the UI thread runs the update");
        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Text, Does.Contain("ghost_wolf"));
    }

    [Test]
    public void Nothing_reads_the_engine_while_nothing_changes()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);

        ui.Pump(TimeSpan.FromMinutes(5));

        Assert.That(engine.DetailReads + engine.EventReads, Is.Zero, "the clock tick ages uptimes but asks the engine nothing");
        Assert.That(engine.Requests, Is.Empty);
    }

    [Test]
    public void A_burst_of_changes_is_drawn_once()
    {
        var engine = new StubEngine();
        using var ui = new DashboardHarness(engine);
        int renders = 0;
        ui.App.LayoutAndDrawComplete += (_, _) => renders++;

        Task burst = Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                int n = i;
                engine.Publish(s => s with { Queue = [new QueuedTask($"ts-{n:000000}", 1, "task")] });
            }
        });
        Assert.That(burst.Wait(TimeSpan.FromSeconds(10)), Is.True, "the engine thread raised the burst");

        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Text, Does.Contain("ts-000099"));
        Assert.That(renders, Is.LessThanOrEqualTo(2), "100 changes are folded into one redraw");
    }

    [Test]
    public void Uptimes_age_with_the_clock()
    {
        var engine = new StubEngine();
        engine.Publish(s => s with { Agents = [SampleAgents.Worker("ghost_wolf", "ts-a1b2c3", "Fix", AgentActivity.Busy, TimeSpan.FromSeconds(10))] });
        using var ui = new DashboardHarness(engine);
        Assert.That(ui.Text, Does.Contain(" 10s "));

        ui.Clock.Advance(TimeSpan.FromSeconds(5));
        ui.Pump(TimeSpan.FromSeconds(1));

        Assert.That(ui.Text, Does.Contain(" 15s "));
    }

    [Test]
    public void Tab_and_shift_tab_cycle_the_panes()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);

        ui.Press(Key.Tab);
        Assert.That(ui.Controller.Root.QueueActive, Is.True);
        ui.Press(Key.J);
        Assert.That(ui.Controller.Root.SelectedTask?.Id, Is.EqualTo("ts-888888"), "j moves in the queue now");

        ui.Press(Key.Tab.WithShift);
        Assert.That(ui.Controller.Root.QueueActive, Is.False);
        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("ghost_wolf"));
    }

    [Test]
    public void The_active_pane_has_a_highlighted_border_and_a_cursor_bar()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        using var ui = new DashboardHarness(engine);
        (int agentsRow, int agentsColumn) = ui.Find("Agents (4)");
        (int queueRow, int queueColumn) = ui.Find("Queue (2)");
        (int cursorRow, int cursorColumn) = ui.Find("ghost_wolf");

        Assert.That(ui.CellAt(agentsRow, agentsColumn).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.Cyan)));
        Assert.That(ui.CellAt(queueRow, queueColumn).Attribute!.Value.Foreground, Is.EqualTo(Aetherflow.Tui.Ui.Theme.Create(true).Dim.Foreground));
        Assert.That(ui.CellAt(cursorRow, cursorColumn).Attribute!.Value.Background, Is.EqualTo(new Color(StandardColor.Cyan)));
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
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Style.HasFlag(TextStyle.Bold), Is.True, "emphasis falls back to bold");
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
    public void Failed_rows_are_red_hung_rows_yellow_and_healthy_rows_neither()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        engine.Publish(s => s with { Agents = [.. s.Agents, SampleAgents.Worker("slow_heron", "ts-123123", "Stuck", AgentActivity.Hung, TimeSpan.FromMinutes(40))] });
        using var ui = new DashboardHarness(engine);
        ui.Press(Key.J);

        (int failedRow, int failedColumn) = ui.Find("rust_falcon");
        (int hungRow, int hungColumn) = ui.Find("slow_heron");
        (int idleRow, int idleColumn) = ui.Find("calm_otter");

        Assert.That(ui.CellAt(failedRow, failedColumn).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightRed)));
        Assert.That(ui.CellAt(hungRow, hungColumn).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightYellow)));
        Assert.That(ui.CellAt(idleRow, idleColumn).Attribute!.Value.Foreground, Is.Not.EqualTo(new Color(StandardColor.BrightRed)));
        Assert.That(ui.Text, Does.Contain("hung"));
    }

    [Test]
    public void Engine_warnings_show_on_the_status_line_when_nothing_else_does()
    {
        var engine = new StubEngine();
        engine.Publish(s => s with { Warnings = ["opencode server restarting", "tracker unreachable"] });
        using var ui = new DashboardHarness(engine);

        Assert.That(ui.StatusText, Is.EqualTo(" ⚠ opencode server restarting (+1 more)"));
        (int row, int column) = ui.Find("⚠");
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightYellow)));
    }

    [Test]
    public void A_remote_engine_is_named_in_the_header()
    {
        using var ui = new DashboardHarness(width: 140, options: new Aetherflow.Tui.Ui.DashboardOptions { EngineLabel = "attached /run/user/1000/aetherflow/demo.sock" });

        Assert.That(ui.Line(0), Does.Contain("attached /run/user/1000/aetherflow/demo.sock"));
    }
}
