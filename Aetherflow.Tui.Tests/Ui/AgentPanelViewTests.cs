using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Aetherflow.Tui.Ui.Views;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>The agent panel: meta, tool calls, task log, task with Markdown; scrolling, panes, pushed refreshes.</summary>
[NonParallelizable]
public sealed class AgentPanelViewTests
{
    [Test]
    public void Enter_opens_the_panel_of_the_selected_agent()
    {
        using var ui = Busy();

        ui.Press(Key.Enter);

        Assert.That(ui.Current, Is.InstanceOf<AgentPanelView>());
        Approvals.Verify(ui.Text, "Panel.GhostWolf");
        Assert.Multiple(() =>
        {
            Assert.That(ui.Text, Does.Contain("ses_ghost_wolf"), "the opencode session");
            Assert.That(ui.Text, Does.Contain("af/ts-a1b2c3"), "the branch");
            Assert.That(ui.Text, Does.Contain("12k in / 345 out"), "tokens");
            Assert.That(ui.Text, Does.Contain("Tool calls (3)"));
            Assert.That(ui.Text, Does.Contain("Run the tests: dotnet test"), "the newest call first, with its title");
            Assert.That(ui.Text, Does.Contain("41.2s"), "durations");
            Assert.That(ui.Text, Does.Contain("Build fails on a missing using"), "the task's log");
            Assert.That(ui.Text, Does.Contain("status in_progress  priority P1"));
            Assert.That(ui.Text, Does.Contain("deps ts-000001"));
        });
    }

    [Test]
    public void The_panel_fits_80_by_24()
    {
        using var ui = Busy(80, 24);

        ui.Press(Key.Enter);

        Approvals.Verify(ui.Text, "Panel.GhostWolf.80x24");
        Assert.That(ui.Text.Split('\n').All(l => l.TrimEnd().Length <= 80), Is.True);
        Assert.That(ui.FooterText, Does.Contain("<esc> back").And.Contain("<q> quit"));
    }

    [Test]
    public void Description_and_definition_of_done_are_rendered_from_markdown()
    {
        using var ui = Busy(140, 40);

        ui.Press(Key.Enter);

        Assert.That(ui.Text, Does.Contain("── Description ──").And.Contain("── Definition of Done ──"));
        Assert.That(ui.Text, Does.Contain("• check Token.IsExpired"), "bullets, code without backticks");
        Assert.That(ui.Text, Does.Contain("1. The tests pass").And.Contain("2. A regression test covers skew"));
        Assert.That(ui.Text, Does.Not.Contain("**"));
        (int row, int column) = ui.Find("too early");
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Style.HasFlag(TextStyle.Bold), Is.True, "strong emphasis is bold");
    }

    [Test]
    public void Tool_call_status_is_coloured()
    {
        using var ui = Busy(140, 40);
        ui.Press(Key.Enter);

        (int row, _) = ui.Find("Build the solution");
        int column = ui.Line(row).IndexOf("error", StringComparison.Ordinal);

        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightRed)), "a failed call is red");
    }

    [Test]
    public void Tab_moves_between_tool_calls_task_log_and_task_and_j_k_scroll_the_focused_one()
    {
        using var ui = Busy();
        ui.Stub.Details["ghost_wolf"] = SampleAgents.GhostWolfDetail() with
        {
            Task = SampleAgents.GhostWolfDetail().Task! with { Description = string.Join("\n\n", Enumerable.Range(1, 60).Select(i => $"Paragraph {i}")) },
        };
        ui.Press(Key.Enter);
        Assert.That(ui.Text, Does.Contain("Paragraph 1"));

        ui.Press(Key.Tab);
        ui.Press(Key.Tab);
        for (int i = 0; i < 12; i++)
        {
            ui.Press(Key.J);
        }

        Assert.That(ui.Text, Does.Not.Match(@"Paragraph 1\b"), "the task box scrolled");
        ui.Press(Key.PageDown);
        ui.Press(Key.G);
        Assert.That(ui.Text, Does.Contain("Fix auth token expiry"), "g goes back to the top");
        ui.Press(Key.Tab.WithShift);
        ui.Press(Key.Tab.WithShift);
        ui.Press(Key.J);
        Assert.That(((AgentPanelView)ui.Current).SelectedAgent?.Name, Is.EqualTo("ghost_wolf"));
    }

    [Test]
    public void New_events_refresh_the_tool_calls_at_most_once_a_second()
    {
        using var ui = Busy();
        ui.Press(Key.Enter);
        int reads = ui.Stub.DetailReads;

        ui.Stub.Details["ghost_wolf"] = SampleAgents.GhostWolfDetail() with
        {
            ToolCalls = [.. SampleAgents.GhostWolfDetail().ToolCalls, new ToolCallInfo("edit", "src/Auth/Clock.cs", null, "completed", DashboardHarness.Start, 5, null)],
        };
        for (int i = 100; i < 110; i++)
        {
            ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(i, "tool", ("tool", "edit")));
            ui.Pump(TimeSpan.FromMilliseconds(60));
        }

        Assert.That(ui.Stub.DetailReads - reads, Is.LessThanOrEqualTo(2), "ten pushes in 0.6 s cause at most two reads");
        ui.Pump(TimeSpan.FromSeconds(1.1));
        Assert.That(ui.Text, Does.Contain("src/Auth/Clock.cs"), "the newest call is shown once the pause is over");
        Assert.That(ui.Text, Does.Contain("Tool calls (4)"));
    }

    [Test]
    public void Events_of_other_agents_do_not_refresh_the_panel()
    {
        using var ui = Busy();
        ui.Press(Key.Enter);
        ui.Pump(TimeSpan.FromSeconds(2));
        int reads = ui.Stub.DetailReads;

        ui.Stub.AppendEvent("calm_otter", SampleAgents.Event(1, "tool", ("tool", "edit")));
        ui.Pump(TimeSpan.FromSeconds(2));

        Assert.That(ui.Stub.DetailReads, Is.EqualTo(reads));
    }

    [Test]
    public void A_pending_permission_is_shown_in_the_meta_box()
    {
        using var ui = Busy();
        ui.Stub.Details["ghost_wolf"] = SampleAgents.GhostWolfDetail() with { PendingPermissions = [new PermissionRequestInfo("per_1", "external_directory", ["/etc/hostname"])] };

        ui.Press(Key.Enter);

        Assert.That(ui.Text, Does.Contain("⚠ asks permission: external_directory /etc/hostname  <P> answer"));
    }

    [Test]
    public void A_spawned_agent_has_a_panel_too_with_its_prompt_and_latest_output()
    {
        using var ui = Busy();
        ui.Stub.Details["calm_otter"] = new AgentDetail { Agent = SampleAgents.Spawned("calm_otter", "Refactor the config loader", TimeSpan.FromMinutes(3)), LastText = "Done with the loader." };
        ui.Press(Key.G.WithShift);

        ui.Press(Key.Enter);

        Assert.That(ui.Text, Does.Contain("Spawned from a prompt").And.Contain("Refactor the config loader").And.Contain("Done with the loader."));
        Assert.That(ui.Text, Does.Contain("No task log (the agent has no tracker task)"));
    }

    [Test]
    public void An_agent_that_goes_away_is_marked_and_a_failed_read_is_shown()
    {
        using var ui = Busy();
        ui.Press(Key.Enter);

        ui.Stub.Publish(s => s with { Agents = s.Agents.Where(a => a.Name != "ghost_wolf").ToList() });
        ui.Stub.NextFailure = new KeyNotFoundException("no agent is named 'ghost_wolf'");
        ui.Stub.AppendEvent("ghost_wolf", SampleAgents.Event(200, "tool", ("tool", "edit")));
        ui.Pump(TimeSpan.FromSeconds(2));

        Assert.That(ui.Text, Does.Contain("ghost_wolf (gone)"));
        Assert.That(ui.Text, Does.Contain("could not read the detail: no agent is named 'ghost_wolf'"));
    }

    [Test]
    public void The_tool_call_filter_keeps_matching_calls()
    {
        using var ui = Busy();
        ui.Press(Key.Enter);

        ui.Press(new Key('/'));
        ui.Type("bash");
        ui.Press(Key.Enter);

        Assert.That(ui.Text, Does.Contain("Tool calls (2/3) /bash").And.Not.Contain("src/Auth/Token.cs"));
    }

    [Test]
    public void Markdown_in_a_task_cannot_smuggle_escape_sequences()
    {
        using var ui = Busy();
        ui.Stub.Details["ghost_wolf"] = SampleAgents.GhostWolfDetail() with
        {
            Task = SampleAgents.GhostWolfDetail().Task! with { Description = "entity &#27;]0;pwned&#7; and raw \u001b[2Jtext and `code\u001b]52;c;x\u0007`" },
        };

        ui.Press(Key.Enter);

        Assert.That(ui.App.Driver!.ToAnsi(), Does.Not.Contain("\u001b]0;").And.Not.Contain("\u001b]52"));
        Assert.That(ui.Text, Does.Contain("raw text"));
    }

    private static DashboardHarness Busy(int width = 100, int height = 30)
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        engine.Details["ghost_wolf"] = SampleAgents.GhostWolfDetail();
        return new DashboardHarness(engine, width: width, height: height);
    }
}
