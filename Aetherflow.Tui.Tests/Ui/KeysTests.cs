using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;
using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Views;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>Every key of the key map, its confirmations, the flash line, read-only mode and help.</summary>
[NonParallelizable]
public sealed class KeysTests
{
    [TestCase("q")]
    [TestCase("ctrl+c")]
    public void Quit_keys_stop_the_dashboard_when_nothing_runs(string which)
    {
        using var ui = new DashboardHarness();

        ui.Press(which == "q" ? Key.Q : Key.C.WithCtrl);

        Assert.That(ui.QuitRequests, Is.EqualTo(1));
    }

    [Test]
    public void Quitting_while_agents_run_asks_first_and_any_other_key_cancels()
    {
        using var ui = Busy();

        ui.Press(Key.Q);
        Assert.That(ui.QuitRequests, Is.Zero);
        Approvals.Verify(ui.Text, "Keys.QuitQuestion");
        Assert.That(ui.StatusText, Does.Contain("Quit? 3 running agents are stopped with this engine"));
        Assert.That(ui.FooterText, Does.Contain("<y> yes").And.Contain("<n> no"));

        ui.Press(Key.J);
        Assert.That(ui.QuitRequests, Is.Zero);
        Assert.That(ui.StatusText, Does.Contain("cancelled"));

        ui.Press(Key.Q);
        ui.Press(Key.Y);
        Assert.That(ui.QuitRequests, Is.EqualTo(1));
    }

    [Test]
    public void Ctrl_c_twice_quits_while_agents_run()
    {
        using var ui = Busy();

        ui.Press(Key.C.WithCtrl);
        ui.Press(Key.C.WithCtrl);

        Assert.That(ui.QuitRequests, Is.EqualTo(1));
    }

    [Test]
    public void No_confirm_quits_at_once()
    {
        using var ui = Busy(new DashboardOptions { QuitStopsAgents = true, NoConfirm = true });

        ui.Press(Key.Q);

        Assert.That(ui.QuitRequests, Is.EqualTo(1));
    }

    [Test]
    public void Quitting_a_dashboard_attached_to_a_remote_engine_does_not_ask_because_the_agents_keep_running()
    {
        using var ui = Busy(new DashboardOptions { QuitStopsAgents = false, EngineLabel = "attached /tmp/x.sock" });

        ui.Press(Key.Q);

        Assert.That(ui.QuitRequests, Is.EqualTo(1));
    }

    [Test]
    public void Esc_goes_back_and_at_the_top_only_says_how_to_quit()
    {
        using var ui = Busy();
        ui.Press(Key.Enter);
        ui.Press(Key.L);
        Assert.That(ui.Controller.Views.Select(v => v.Scope), Is.EqualTo(new[] { ViewScope.Dashboard, ViewScope.Panel, ViewScope.Log }));

        ui.Press(Key.Esc);
        Assert.That(ui.Current, Is.InstanceOf<AgentPanelView>());
        ui.Press(Key.Esc);
        Assert.That(ui.Current, Is.InstanceOf<DashboardView>());
        ui.Press(Key.Esc);

        Assert.That(ui.QuitRequests, Is.Zero, "esc never quits");
        Assert.That(ui.StatusText, Does.Contain("q quits"));
    }

    [TestCase('p', PoolMode.Paused, "[paused]", "pool paused")]
    [TestCase('d', PoolMode.Draining, "[draining]", "pool draining")]
    public void Pool_keys_change_the_mode_and_confirm_it_on_the_flash_line(char key, PoolMode mode, string badge, string flash)
    {
        using var ui = Busy();

        ui.Press(new Key(key));
        ui.Pump(TimeSpan.FromMilliseconds(60));

        Assert.That(ui.Stub.ModeRequests, Is.EqualTo(new[] { mode }));
        Assert.That(ui.Line(0), Does.Contain(badge));
        Assert.That(ui.StatusText, Does.StartWith(" " + flash));
        (int row, int column) = ui.Find(flash);
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightGreen)));

        ui.Press(Key.R);
        ui.Pump(TimeSpan.FromMilliseconds(60));
        Assert.That(ui.Stub.ModeRequests, Is.EqualTo(new[] { mode, PoolMode.Active }));
        Assert.That(ui.Line(0), Does.Contain("[active]"));
    }

    [Test]
    public void Resuming_an_active_pool_says_so_instead_of_doing_nothing()
    {
        using var ui = Busy();

        ui.Press(Key.R);

        Assert.That(ui.Stub.ModeRequests, Is.Empty);
        Assert.That(ui.StatusText, Does.Contain("the pool is already active"));
    }

    [Test]
    public void The_flash_line_clears_after_a_few_seconds()
    {
        using var ui = Busy();
        ui.Press(Key.P);
        Assert.That(ui.StatusText, Does.Contain("pool paused"));

        ui.Pump(TimeSpan.FromSeconds(6));

        Assert.That(ui.StatusText, Is.Empty);
    }

    [Test]
    public void X_asks_before_stopping_and_says_what_happens_to_the_task()
    {
        using var ui = Busy();

        ui.Press(Key.X);
        Assert.That(ui.StatusText, Does.Contain("Stop ghost_wolf? Its task ts-a1b2c3 goes back to open."));
        Assert.That(ui.Stub.Requests, Is.Empty);
        ui.Press(Key.N);
        Assert.That(ui.Stub.Requests, Is.Empty);

        ui.Press(Key.X);
        ui.Press(Key.Y);

        Assert.That(ui.Stub.Requests, Is.EqualTo(new[] { "stop ghost_wolf by dashboard (tester)" }));
        Assert.That(ui.StatusText, Does.Contain("stopping ghost_wolf"));
    }

    [Test]
    public void Stopping_an_exited_agent_says_it_has_exited()
    {
        using var ui = Busy();
        ui.Press(Key.J);
        ui.Press(Key.J);

        ui.Press(Key.X);

        Assert.That(ui.StatusText, Does.Contain("rust_falcon has already exited"));
        Assert.That(ui.Stub.Requests, Is.Empty);
    }

    [Test]
    public void S_opens_an_input_box_and_sends_the_message_with_its_sender()
    {
        using var ui = Busy();

        ui.Press(Key.S);
        ui.Type("use the v2 API");
        Approvals.Verify(ui.Text, "Keys.SteerBox");
        Assert.That(ui.StatusText, Does.Contain("steer ghost_wolf › use the v2 API"));
        ui.Press(Key.Enter);

        Assert.That(ui.Stub.Requests, Is.EqualTo(new[] { "steer ghost_wolf by dashboard (tester): use the v2 API" }));
        Assert.That(ui.StatusText, Does.Contain("sent to ghost_wolf"));
    }

    [Test]
    public void A_steer_message_can_be_edited_and_recalled_from_history()
    {
        using var ui = Busy();
        ui.Press(Key.S);
        ui.Type("first");
        ui.Press(Key.Enter);

        ui.Press(Key.S);
        ui.Press(Key.CursorUp);
        ui.Press(Key.Backspace);
        ui.Type("ST");
        ui.Press(Key.Home);
        ui.Type(">");
        ui.Press(Key.Enter);

        Assert.That(ui.Stub.Requests[^1], Does.EndWith(": >firsST"));
    }

    [Test]
    public void Esc_cancels_the_steer_box_and_sends_nothing()
    {
        using var ui = Busy();

        ui.Press(Key.S);
        ui.Type("never mind");
        ui.Press(Key.Esc);

        Assert.That(ui.Stub.Requests, Is.Empty);
        Assert.That(ui.Controller.OpenPrompt, Is.Null);
    }

    [Test]
    public void A_keys_typed_into_a_box_do_not_trigger_actions()
    {
        using var ui = Busy();

        ui.Press(Key.S);
        ui.Type("pxq");

        Assert.That(ui.Stub.ModeRequests, Is.Empty);
        Assert.That(ui.QuitRequests, Is.Zero);
        Assert.That(ui.Controller.OpenPrompt!.Editor.Text, Is.EqualTo("pxq"));
    }

    [Test]
    public void Pasted_text_goes_into_the_box_without_control_characters()
    {
        using var ui = Busy();
        ui.Press(Key.S);

        ui.App.RaisePasteEvent("line one\nline two\u001b[31m");

        Assert.That(ui.Controller.OpenPrompt!.Editor.Text, Is.EqualTo("line one line two"));
    }

    [Test]
    public void A_asks_the_engine_where_the_session_is_and_suspends_the_dashboard_for_opencode()
    {
        var state = new DashboardState();
        using var ui = Busy(state: state);
        ui.Press(Key.Enter);

        ui.Press(Key.A);

        Assert.That(ui.QuitRequests, Is.EqualTo(1), "the dashboard steps aside");
        Assert.That(state.Attach?.Agent, Is.EqualTo("ghost_wolf"));
        Assert.That(state.Attach?.Info.SessionId, Is.EqualTo("ses_ghost_wolf"));
        Assert.That(state.Views.Select(v => v.Kind), Is.EqualTo(new[] { ViewScope.Panel }), "the panel is reopened afterwards");
    }

    [Test]
    public void A_on_a_session_without_an_agent_attaches_to_the_session_by_its_id()
    {
        var state = new DashboardState();
        using var ui = Busy(state: state);
        ui.Stub.Sessions.Add(new SessionInfo { SessionId = "ses_old_run", ServerRef = "managed:demo", Status = "idle", UpdatedAt = DashboardHarness.Start });
        ui.Press(new Key(':'));
        ui.Type("sessions");
        ui.Press(Key.Enter);
        ui.Pump();

        ui.Press(Key.A);

        Assert.That(ui.QuitRequests, Is.EqualTo(1), ui.StatusText);
        Assert.That(state.Attach?.Agent, Is.EqualTo("ses_old_run"));
        Assert.That(state.Attach?.Info.ServerUrl, Is.EqualTo("http://127.0.0.1:4096/"));
    }

    [Test]
    public void After_an_attach_the_dashboard_comes_back_where_it_was_with_a_message()
    {
        var state = new DashboardState { Views = [new ScreenRef(ViewScope.Panel, "ghost_wolf")], Flash = ("back from ghost_wolf; it keeps running", Aetherflow.Tui.Ui.Shell.FlashKind.Info) };
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);

        using var ui = new DashboardHarness(engine, state: state);

        Assert.That(ui.Current, Is.InstanceOf<AgentPanelView>());
        Assert.That(ui.Current.SelectedAgent?.Name, Is.EqualTo("ghost_wolf"));
        Assert.That(ui.StatusText, Does.Contain("back from ghost_wolf"));
    }

    [Test]
    public void An_action_the_engine_cannot_do_shows_its_error_in_red()
    {
        using var ui = Busy();
        ui.Stub.NextFailure = new NotSupportedException("ghost_wolf runs without opencode (runtime 'command'), so there is no session to attach to");

        ui.Press(Key.A);

        Assert.That(ui.QuitRequests, Is.Zero);
        Assert.That(ui.StatusText, Does.Contain("no session to attach to"));
        (int row, int column) = ui.Find("ghost_wolf runs without");
        Assert.That(ui.CellAt(row, column).Attribute!.Value.Foreground, Is.EqualTo(new Color(StandardColor.BrightRed)));
    }

    [Test]
    public void Agent_keys_on_the_queue_pane_say_that_the_queue_holds_tasks()
    {
        using var ui = Busy();
        ui.Press(Key.Tab);

        ui.Press(Key.X);
        Assert.That(ui.StatusText, Does.Contain("the queue holds tasks, not agents"));
        ui.Press(Key.Enter);
        Assert.That(ui.StatusText, Does.Contain("ts-777777 is waiting for a pool slot"));
    }

    [Test]
    public void Agent_keys_without_agents_say_there_is_none()
    {
        using var ui = new DashboardHarness();

        ui.Press(Key.L);

        Assert.That(ui.StatusText, Does.Contain("no agent is selected"));
    }

    [Test]
    public void Shift_p_offers_the_answers_to_a_pending_permission_and_sends_the_chosen_one()
    {
        using var ui = Busy();
        ui.Stub.Details["ghost_wolf"] = SampleAgents.GhostWolfDetail() with { PendingPermissions = [new PermissionRequestInfo("per_1", "external_directory", ["/etc/hostname"])] };

        ui.Press(Key.P.WithShift);
        Assert.That(ui.StatusText, Does.Contain("ghost_wolf asks external_directory /etc/hostname:"));
        Assert.That(ui.FooterText, Does.Contain("<o> once").And.Contain("<a> always").And.Contain("<r> reject"));
        ui.Press(Key.A);

        Assert.That(ui.Stub.Requests, Is.EqualTo(new[] { "permission ghost_wolf Always" }));
        Assert.That(ui.StatusText, Does.Contain("answered 'always'"));
    }

    [Test]
    public void Shift_p_without_a_pending_permission_says_so()
    {
        using var ui = Busy();

        ui.Press(Key.P.WithShift);

        Assert.That(ui.StatusText, Does.Contain("ghost_wolf is not waiting for a permission"));
    }

    [Test]
    public void Read_only_mode_disables_every_mutating_key_and_hides_its_hint()
    {
        using var ui = Busy(new DashboardOptions { ReadOnly = true, QuitStopsAgents = true });
        Approvals.Verify(ui.Text, "Keys.ReadOnly");
        Assert.That(ui.Line(0), Does.Contain("[read-only]"));

        foreach (KeyAction action in KeyMap.Default.Actions.Where(a => a.Mutates && (a.Scope & ViewScope.Dashboard) != 0))
        {
            ui.Press(KeyOf(action));
            Assert.That(ui.StatusText, Does.Contain("read-only mode"), $"{action.Id} is refused");
            Assert.That(ui.FooterText, Does.Not.Contain("<" + action.FooterLabel + ">"), $"{action.Id} is not offered");
        }

        Assert.That(ui.Stub.Requests, Is.Empty);
        Assert.That(ui.Stub.ModeRequests, Is.Empty);
        Assert.That(ui.Controller.OpenPrompt, Is.Null, "not even the steer box opens");
    }

    [Test]
    public void Read_only_mode_refuses_mutating_commands()
    {
        using var ui = Busy(new DashboardOptions { ReadOnly = true });

        ui.Press(new Key(':'));
        ui.Type("spawn do something");
        ui.Press(Key.Enter);

        Assert.That(ui.StatusText, Does.Contain("read-only mode: :spawn is disabled"));
        Assert.That(ui.Stub.Requests, Is.Empty);
    }

    [TestCase("Dashboard")]
    [TestCase("Panel")]
    [TestCase("Log")]
    [TestCase("Sessions")]
    public void Help_lists_every_key_of_the_current_view_from_the_key_map(string view)
    {
        ViewScope scope = Enum.Parse<ViewScope>(view);
        using var ui = Busy();
        Open(ui, scope);

        ui.Press(new Key('?'));

        Assert.That(ui.Current, Is.InstanceOf<HelpView>());
        string help = string.Join('\n', HelpView.Build(Aetherflow.Tui.Ui.Theme.Create(false), ui.Controller.Views[^2], KeyMap.Default, false).Select(l => l.Text));
        foreach (KeyAction action in KeyMap.Default.For(scope))
        {
            Assert.That(help, Does.Contain(action.KeysLabel).And.Contain(action.Description), $"{action.Id} in {scope}");
        }

        ui.Press(Key.Esc);
        Assert.That(ui.Current.Scope, Is.EqualTo(scope), "esc closes the help");
    }

    [Test]
    public void Help_of_the_dashboard_fits_80_by_24()
    {
        using var ui = Busy(width: 80, height: 24);

        ui.Press(new Key('?'));

        Approvals.Verify(ui.Text, "Keys.Help.80x24");
        Assert.That(ui.FooterText, Does.Contain("<esc> back"));
    }

    [Test]
    public void Every_key_in_the_map_does_something_in_every_view_it_is_listed_for()
    {
        foreach (ViewScope scope in new[] { ViewScope.Dashboard, ViewScope.Panel, ViewScope.Log, ViewScope.Sessions, ViewScope.Help })
        {
            foreach (KeyAction action in KeyMap.Default.For(scope))
            {
                using var ui = Busy();
                ui.Stub.Sessions.AddRange(
                [
                    new SessionInfo { SessionId = "ses_old_one", ServerRef = "managed:demo", Status = "terminated", Agent = "old_one" },
                    new SessionInfo { SessionId = "ses_ghost_wolf", ServerRef = "managed:demo", Status = "active", Agent = "ghost_wolf" },
                    new SessionInfo { SessionId = "ses_older", ServerRef = "managed:demo", Status = "idle", Agent = "older" },
                ]);
                Open(ui, scope);
                string before = ui.App.Driver!.ToAnsi();
                int views = ui.Controller.Views.Count;

                ui.Press(KeyOf(action));
                ui.Pump(TimeSpan.FromMilliseconds(60));

                bool reacted = ui.App.Driver!.ToAnsi() != before || ui.Controller.Views.Count != views || ui.QuitRequests > 0 || ui.Stub.Requests.Count > (scope == ViewScope.Sessions ? 1 : 0) || ui.Stub.ModeRequests.Count > 0;
                Assert.That(reacted, Is.True, $"{action.KeysLabel} ({action.Id}) in {scope} changed nothing on screen");
            }
        }
    }

    [Test]
    public void The_footer_shows_the_hints_of_the_current_view()
    {
        using var ui = Busy(width: 140);
        Assert.That(ui.FooterText, Does.Contain("<enter> panel").And.Contain("<p> pause").And.Contain("<d> drain"));

        ui.Press(Key.L);
        Assert.That(ui.FooterText, Does.Contain("<G> follow").And.Contain("<g> top").And.Contain("<esc> back").And.Not.Contain("<p> pause"));
    }

    private static Key KeyOf(KeyAction action) => action.Chords[0].Label switch
    {
        "enter" => Terminal.Gui.Input.Key.Enter,
        "esc" => Terminal.Gui.Input.Key.Esc,
        "tab" => Terminal.Gui.Input.Key.Tab,
        "shift+tab" => Terminal.Gui.Input.Key.Tab.WithShift,
        "pgdn" => Terminal.Gui.Input.Key.PageDown,
        "pgup" => Terminal.Gui.Input.Key.PageUp,
        "q" => Terminal.Gui.Input.Key.Q,
        var label when label.Length == 1 && char.IsUpper(label[0]) => new Key(label[0]),
        var label when label.Length == 1 => new Key(label[0]),
        var other => throw new ArgumentException($"no key for {other}"),
    };

    private static void Open(DashboardHarness ui, ViewScope scope)
    {
        switch (scope)
        {
            case ViewScope.Panel:
                ui.Press(Terminal.Gui.Input.Key.Enter);
                break;
            case ViewScope.Log:
                ui.Press(Terminal.Gui.Input.Key.L);
                break;
            case ViewScope.Sessions:
                ui.Press(new Key(':'));
                ui.Type("sessions");
                ui.Press(Terminal.Gui.Input.Key.Enter);
                break;
            case ViewScope.Help:
                ui.Press(new Key('?'));
                break;
        }

        // Somewhere in the middle, so that every movement key has somewhere to go.
        ui.Press(scope == ViewScope.Log ? Terminal.Gui.Input.Key.PageUp : Terminal.Gui.Input.Key.J);
    }

    private static DashboardHarness Busy(DashboardOptions? options = null, DashboardState? state = null, int width = 100, int height = 30)
    {
        var engine = new StubEngine();
        engine.Publish(SampleAgents.Busy);
        engine.Details["ghost_wolf"] = SampleAgents.GhostWolfDetail();
        for (int i = 1; i <= 100; i++)
        {
            engine.AppendEvent("ghost_wolf", SampleAgents.Event(i, "tool", ("tool", "bash"), ("plain", $" step {i}")));
        }

        return new DashboardHarness(engine, width: width, height: height, options: options ?? new DashboardOptions { QuitStopsAgents = true, Sender = "dashboard (tester)" }, state: state);
    }
}
