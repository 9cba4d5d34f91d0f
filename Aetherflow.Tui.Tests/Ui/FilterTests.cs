using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary><c>/</c> filters: regex, inverse, live while typing, per pane, highlighted, cleared with esc.</summary>
[NonParallelizable]
public sealed class FilterTests
{
    [Test]
    public void A_regex_filter_keeps_matching_agents_live_and_highlights_the_match()
    {
        using var ui = Busy();

        ui.Press(new Key('/'));
        ui.Type("wolf|otter");

        Assert.That(ui.Text, Does.Contain("ghost_wolf").And.Contain("calm_otter").And.Not.Contain("neon_daemon"), "applied while typing");
        Assert.That(ui.Text, Does.Contain("Agents (2/4) /wolf|otter"));
        (int row, int column) = ui.Find("wolf ");
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Background, Is.Not.EqualTo(new Color(StandardColor.BrightYellow)), "the cursor row keeps its bar");
        (row, column) = ui.Find("calm_otter");
        column += "calm_".Length;
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Background, Is.EqualTo(new Color(StandardColor.BrightYellow)));

        ui.Press(Key.Enter);
        Approvals.Verify(ui.Text, "Filter.Agents");
        Assert.That(ui.Controller.OpenPrompt, Is.Null);
        Assert.That(ui.Text, Does.Not.Contain("neon_daemon"), "enter keeps the filter");
    }

    [Test]
    public void A_bang_inverts_the_filter()
    {
        using var ui = Busy();

        ui.Press(new Key('/'));
        ui.Type("!busy");
        ui.Press(Key.Enter);

        Assert.That(ui.Text, Does.Contain("neon_daemon").And.Contain("rust_falcon").And.Not.Contain("ghost_wolf").And.Not.Contain("calm_otter"));
    }

    [Test]
    public void Matching_ignores_case()
    {
        using var ui = Busy();

        ui.Press(new Key('/'));
        ui.Type("GHOST");

        Assert.That(ui.Text, Does.Contain("ghost_wolf").And.Not.Contain("neon_daemon"));
    }

    [Test]
    public void Text_that_is_not_a_regex_is_matched_literally_and_says_so()
    {
        var engine = new StubEngine();
        engine.Publish(s => s with { Agents = [SampleAgents.Worker("a_one", "ts-1", "fix (parser", AgentActivity.Busy, TimeSpan.Zero), SampleAgents.Worker("a_two", "ts-2", "other", AgentActivity.Busy, TimeSpan.Zero)] });
        using var ui = new DashboardHarness(engine);

        ui.Press(new Key('/'));
        ui.Type("(parser");
        ui.Press(Key.Enter);

        Assert.That(ui.Text, Does.Contain("a_one").And.Not.Contain("a_two"));
        Assert.That(ui.StatusText, Does.Contain("not a valid regular expression; matching it as plain text"));
    }

    [Test]
    public void Esc_in_the_bar_and_esc_on_the_dashboard_clear_the_filter()
    {
        using var ui = Busy();
        ui.Press(new Key('/'));
        ui.Type("wolf");
        ui.Press(Key.Esc);
        Assert.That(ui.Text, Does.Contain("neon_daemon"));

        ui.Press(new Key('/'));
        ui.Type("wolf");
        ui.Press(Key.Enter);
        ui.Press(Key.Esc);

        Assert.That(ui.Text, Does.Contain("neon_daemon"));
        Assert.That(ui.StatusText, Does.Contain("filter cleared"));
    }

    [Test]
    public void Reopening_the_bar_edits_the_current_filter()
    {
        using var ui = Busy();
        ui.Press(new Key('/'));
        ui.Type("wolf");
        ui.Press(Key.Enter);

        ui.Press(new Key('/'));

        Assert.That(ui.Controller.OpenPrompt!.Editor.Text, Is.EqualTo("wolf"));
    }

    [Test]
    public void The_queue_has_its_own_filter()
    {
        using var ui = Busy();
        ui.Press(Key.Tab);

        ui.Press(new Key('/'));
        ui.Type("docs");
        ui.Press(Key.Enter);

        Assert.That(ui.Text, Does.Contain("Write docs").And.Not.Contain("Clean up logs"));
        Assert.That(ui.Text, Does.Contain("neon_daemon"), "the agent table is not filtered");
        Assert.That(ui.Text, Does.Contain("Queue (1/2) /docs"));
    }

    [Test]
    public void A_filter_that_matches_nothing_says_so()
    {
        using var ui = Busy();

        ui.Press(new Key('/'));
        ui.Type("zzz");

        Assert.That(ui.Text, Does.Contain("No agent matches /zzz"));
    }

    [Test]
    public void New_agents_are_filtered_as_they_arrive()
    {
        using var ui = Busy();
        ui.Press(new Key('/'));
        ui.Type("wolf");
        ui.Press(Key.Enter);

        ui.Stub.Publish(s => s with { Agents = [.. s.Agents, SampleAgents.Worker("grey_wolf", "ts-5", "New", AgentActivity.Busy, TimeSpan.Zero), SampleAgents.Worker("blue_jay", "ts-6", "New", AgentActivity.Busy, TimeSpan.Zero)] });
        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Text, Does.Contain("grey_wolf").And.Not.Contain("blue_jay"));
    }

    private static DashboardHarness Busy()
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        return new DashboardHarness(engine);
    }
}
