using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Aetherflow.Tui.Ui.Views;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>The <c>:</c> bar: commands, completion, history, errors.</summary>
[NonParallelizable]
public sealed class CommandBarTests
{
    [Test]
    public void Colon_opens_the_bar_and_shows_the_completion_dimmed()
    {
        using var ui = Busy();

        ui.Press(new Key(':'));
        ui.Type("se");

        Approvals.Verify(ui.Text, "CommandBar.Completion");
        Assert.That(ui.StatusText, Is.EqualTo(" :se ssions"));
        Assert.That(ui.FooterText, Does.Contain("<tab> complete").And.Contain("<enter> run").And.Contain("<esc> cancel"));
    }

    [Test]
    public void Tab_completes_the_command_and_a_space_follows_a_command_that_takes_an_argument()
    {
        using var ui = Busy();
        ui.Press(new Key(':'));
        ui.Type("sp");

        ui.Press(Key.Tab);

        Assert.That(ui.Controller.OpenPrompt!.Editor.Text, Is.EqualTo("spawn "));
    }

    [Test]
    public void Spawn_starts_an_agent_from_the_prompt_and_selects_it()
    {
        using var ui = Busy();

        ui.Press(new Key(':'));
        ui.Type("spawn Refactor the parser");
        ui.Press(Key.Enter);
        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Stub.Requests, Is.EqualTo(new[] { "spawn Refactor the parser" }));
        Assert.That(ui.StatusText, Does.Contain("spawned new_agent (spawn-new_agent-000001)"));
        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("new_agent"));
    }

    [Test]
    public void Spawn_without_a_prompt_says_how_to_use_it()
    {
        using var ui = Busy();

        ui.Press(new Key(':'));
        ui.Type("spawn");
        ui.Press(Key.Enter);

        Assert.That(ui.StatusText, Does.Contain("usage: :spawn <prompt>"));
        Assert.That(ui.Stub.Requests, Is.Empty);
    }

    [Test]
    public void Queue_and_agents_switch_the_active_pane_from_any_view()
    {
        using var ui = Busy();
        ui.Press(Key.Enter);

        ui.Press(new Key(':'));
        ui.Type("queue");
        ui.Press(Key.Enter);
        Assert.That(ui.Current, Is.InstanceOf<DashboardView>());
        Assert.That(ui.Controller.Root.QueueActive, Is.True);

        ui.Press(new Key(':'));
        ui.Type("agents");
        ui.Press(Key.Enter);
        Assert.That(ui.Controller.Root.QueueActive, Is.False);
    }

    [Test]
    public void Sessions_lists_the_registry()
    {
        using var ui = Busy();
        ui.Stub.Sessions.Add(new SessionInfo
        {
            SessionId = "ses_ghost_wolf",
            ServerRef = "managed:demo",
            Status = "active",
            Origin = "pool",
            WorkRef = "ts-a1b2c3",
            Agent = "ghost_wolf",
            Directory = "/projects/demo/.aetherflow/worktrees/ts-a1b2c3",
            UpdatedAt = DashboardHarness.Start - TimeSpan.FromMinutes(2),
        });

        ui.Press(new Key(':'));
        ui.Type("ss");
        ui.Press(Key.Enter);

        Assert.That(ui.Current, Is.InstanceOf<SessionsView>());
        Approvals.Verify(ui.Text, "Sessions.Listed");
        Assert.That(ui.Text, Does.Contain("ses_ghost_wolf").And.Contain("active").And.Contain("2m"));
    }

    [TestCase("q")]
    [TestCase("quit")]
    public void Q_quits_like_the_key(string command)
    {
        using var ui = new DashboardHarness();

        ui.Press(new Key(':'));
        ui.Type(command);
        ui.Press(Key.Enter);

        Assert.That(ui.QuitRequests, Is.EqualTo(1));
    }

    [Test]
    public void Q_bang_quits_without_asking_even_while_agents_run()
    {
        using var ui = Busy();

        ui.Press(new Key(':'));
        ui.Type("q!");
        ui.Press(Key.Enter);

        Assert.That(ui.QuitRequests, Is.EqualTo(1));
    }

    [Test]
    public void Pool_commands_change_the_mode()
    {
        using var ui = Busy();

        ui.Press(new Key(':'));
        ui.Type("pause");
        ui.Press(Key.Enter);

        Assert.That(ui.Stub.ModeRequests, Is.EqualTo(new[] { PoolMode.Paused }));
    }

    [Test]
    public void An_unknown_command_is_an_error_with_a_suggestion()
    {
        using var ui = Busy();

        ui.Press(new Key(':'));
        ui.Type("sesions");
        ui.Press(Key.Enter);

        Assert.That(ui.StatusText, Does.Contain("unknown command ':sesions' (did you mean :sessions?)"));
    }

    [Test]
    public void Up_and_down_walk_the_command_history()
    {
        using var ui = Busy();
        foreach (string command in new[] { "queue", "agents" })
        {
            ui.Press(new Key(':'));
            ui.Type(command);
            ui.Press(Key.Enter);
        }

        ui.Press(new Key(':'));
        ui.Press(Key.CursorUp);
        Assert.That(ui.Controller.OpenPrompt!.Editor.Text, Is.EqualTo("agents"));
        ui.Press(Key.CursorUp);
        Assert.That(ui.Controller.OpenPrompt!.Editor.Text, Is.EqualTo("queue"));
        ui.Press(Key.CursorDown);
        Assert.That(ui.Controller.OpenPrompt!.Editor.Text, Is.EqualTo("agents"));
        ui.Press(Key.CursorDown);
        Assert.That(ui.Controller.OpenPrompt!.Editor.Text, Is.Empty);
    }

    [Test]
    public void Backspace_on_an_empty_bar_and_esc_close_it()
    {
        using var ui = Busy();

        ui.Press(new Key(':'));
        ui.Press(Key.Backspace);
        Assert.That(ui.Controller.OpenPrompt, Is.Null);

        ui.Press(new Key(':'));
        ui.Type("spawn x");
        ui.Press(Key.Esc);
        Assert.That(ui.Controller.OpenPrompt, Is.Null);
        Assert.That(ui.Stub.Requests, Is.Empty);
    }

    [Test]
    public void The_bar_fits_a_narrow_terminal_and_keeps_the_cursor_in_view()
    {
        using var ui = Busy(width: 80, height: 24);

        ui.Press(new Key(':'));
        ui.Type("spawn " + new string('x', 100) + "END");

        Assert.That(ui.Line(22), Does.Contain("xEND"));
        Assert.That(ui.Line(22).TrimEnd().Length, Is.LessThanOrEqualTo(80));
    }

    private static DashboardHarness Busy(int width = 100, int height = 30)
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        return new DashboardHarness(engine, width: width, height: height);
    }
}
