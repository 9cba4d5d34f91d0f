using Aetherflow.Engine.Api;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Views;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// The dashboard's behaviour: turns keys into actions through the <see cref="KeyMap"/>, keeps the stack of views for
/// esc, asks confirmations and reports results on the flash line, and calls the engine — only through
/// <see cref="IEngine"/>, so it behaves the same in-process and attached to a remote engine.
/// </summary>
internal sealed partial class DashboardController : IDisposable
{
    private static readonly TimeSpan FlashDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ErrorDuration = TimeSpan.FromSeconds(10);
    private readonly IEngine engine;
    private readonly DashboardOptions options;
    private readonly DashboardState state;
    private readonly ScreenContext context;
    private readonly List<Screen> stack = [];
    private readonly CancellationTokenSource stopping = new();
    private IDisposable? flashTimer;
    private Prompt? prompt;
    private Question? question;
    private EngineSnapshot snapshot;
    private DateTimeOffset now;

    public DashboardController(IEngine engine, DashboardShell shell, ScreenContext context, DashboardOptions options, DashboardState state)
    {
        this.engine = engine;
        Shell = shell;
        this.context = context with { Flash = Flash };
        this.options = options;
        this.state = state;
        snapshot = engine.Snapshot;
        now = context.Clock.GetUtcNow();
        stack.Add(new DashboardView(this.context));
        Restore(state.Views);
        Shell.Show(Current);
        Render(snapshot, now);
        if (state.Flash is { } flash)
        {
            state.Flash = null;
            Flash(flash.Text, flash.Kind);
        }
    }

    /// <summary>Raised when the dashboard should close (quit, or suspend for an attach).</summary>
    public event EventHandler? StopRequested;

    public KeyMap KeyMap { get; } = KeyMap.Default;

    public DashboardShell Shell { get; }

    /// <summary>The view on top.</summary>
    public Screen Current => stack[^1];

    /// <summary>The agent table and queue, always at the bottom of the stack.</summary>
    public DashboardView Root => (DashboardView)stack[0];

    /// <summary>The open views, bottom first.</summary>
    public IReadOnlyList<Screen> Views => stack;

    /// <summary>Draws a snapshot: the header, the current view, the footer and the warnings (UI thread).</summary>
    public void Render(EngineSnapshot next, DateTimeOffset at)
    {
        snapshot = next;
        now = at;
        Shell.Header.Items = Chrome.Header(next, options, context.Theme);
        Current.Render(next, at);
        Shell.Status.Warnings = next.Warnings;
        RenderFooter();
    }

    /// <summary>New events were recorded for these agents (UI thread, coalesced).</summary>
    public void OnEventsAppended(IReadOnlyCollection<string> agents) => Current.OnEventsAppended(agents);

    /// <summary>Handles a key (UI thread); false when the key means nothing here.</summary>
    public bool HandleKey(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (prompt is not null)
        {
            HandlePromptKey(key);
            return true;
        }

        if (question is not null)
        {
            Answer(key);
            return true;
        }

        KeyAction? action = KeyMap.Find(Current.Scope, key);
        if (action is null)
        {
            return false;
        }

        if (action.Mutates && options.ReadOnly)
        {
            Flash($"read-only mode: '{action.Chords[0].Label}' ({action.Hint ?? action.Id.ToString().ToLowerInvariant()}) is disabled", FlashKind.Warning);
            return true;
        }

        Execute(action.Id);
        return true;
    }

    /// <summary>Text pasted into the terminal goes into an open input bar.</summary>
    public void Paste(string text)
    {
        if (prompt is not null)
        {
            prompt.Editor.Insert(text);
            AfterEdit();
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        flashTimer?.Dispose();
        foreach (Screen screen in stack)
        {
            screen.Dispose();
        }

        stack.Clear();
        stopping.Dispose();
    }

    /// <summary>Shows a message on the flash line for a few seconds.</summary>
    public void Flash(string text, FlashKind kind)
    {
        Shell.Status.Flash = (text, kind);
        flashTimer?.Dispose();
        flashTimer = context.Loop.After(kind == FlashKind.Error ? ErrorDuration : FlashDuration, () =>
        {
            Shell.Status.Flash = null;
            flashTimer = null;
        });
    }

    private void Execute(ActionId id)
    {
        switch (id)
        {
            case ActionId.Down or ActionId.Up or ActionId.PageDown or ActionId.PageUp or ActionId.Top or ActionId.Bottom:
                Current.Scroll(id);
                break;
            case ActionId.NextPane:
                Current.CyclePane(1);
                RenderFooter();
                break;
            case ActionId.PreviousPane:
                Current.CyclePane(-1);
                RenderFooter();
                break;
            case ActionId.Open:
                OpenPanel();
                break;
            case ActionId.Logs:
                OpenLog();
                break;
            case ActionId.Back:
                Back();
                break;
            case ActionId.Quit:
                Quit(ask: true);
                break;
            case ActionId.Help:
                Push(new HelpView(context, Current, KeyMap, options.ReadOnly));
                break;
            case ActionId.Command:
                Open(new Prompt(PromptKind.Command, ":", state.Commands));
                break;
            case ActionId.Filter:
                OpenFilter();
                break;
            case ActionId.Drain:
                SetMode(PoolMode.Draining);
                break;
            case ActionId.Pause:
                SetMode(PoolMode.Paused);
                break;
            case ActionId.Resume:
                SetMode(PoolMode.Active);
                break;
            case ActionId.Stop:
                AskStop();
                break;
            case ActionId.Steer:
                OpenSteer();
                break;
            case ActionId.Attach:
                Attach();
                break;
            case ActionId.Permission:
                AskPermission();
                break;
        }
    }

    private void Push(Screen screen)
    {
        stack.Add(screen);
        Shell.Show(screen);
        Render(snapshot, now);
    }

    private void Back()
    {
        if (stack.Count > 1)
        {
            Screen top = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            top.Dispose();
            Shell.Show(Current);
            Render(snapshot, now);
        }
        else if (Current.Filter is not null)
        {
            Current.ApplyFilter(null);
            Flash("filter cleared", FlashKind.Info);
        }
        else
        {
            Flash("this is the top view; q quits", FlashKind.Info);
        }
    }

    private void PopToRoot()
    {
        while (stack.Count > 1)
        {
            Back();
        }
    }

    private void OpenPanel()
    {
        if (Current is DashboardView { QueueActive: true } dashboard)
        {
            Flash(dashboard.SelectedTask is { } task
                ? $"{task.Id} is waiting for a pool slot (P{task.Priority}); it gets an agent when one is free"
                : "the queue is empty", FlashKind.Info);
            return;
        }

        if (RequireAgent() is { } agent)
        {
            Push(new AgentPanelView(context, agent));
        }
    }

    private void OpenLog()
    {
        if (RequireAgent() is { } agent)
        {
            Push(new LogStreamView(context, agent));
        }
    }

    private AgentInfo? RequireAgent()
    {
        AgentInfo? agent = Current.SelectedAgent;
        if (agent is null)
        {
            Flash(Current.NoAgentReason, FlashKind.Warning);
        }

        return agent;
    }

    private void Quit(bool ask)
    {
        int running = snapshot.Agents.Count(a => a.Activity != AgentActivity.Exited);
        if (ask && !options.NoConfirm && options.QuitStopsAgents && running > 0)
        {
            Ask(Question.YesNo(
                $"Quit? {running} running {(running == 1 ? "agent is" : "agents are")} stopped with this engine (pool tasks go back to open).",
                RequestStop,
                ActionId.Quit));
            return;
        }

        RequestStop();
    }

    private void RequestStop()
    {
        state.Views = stack.Skip(1).Where(s => s is not HelpView).Select(s => s.Ref).ToList();
        StopRequested?.Invoke(this, EventArgs.Empty);
    }

    private void Ask(Question asked)
    {
        question = asked;
        Shell.Status.Question = asked;
        RenderFooter();
    }

    private void Answer(Key key)
    {
        Question asked = question!;
        question = null;
        Shell.Status.Question = null;
        RenderFooter();
        Question.Choice? choice = asked.Choices.FirstOrDefault(c => KeyChord.Char(c.Key).Matches(key) || KeyChord.Char(char.ToUpperInvariant(c.Key)).Matches(key));
        if (choice is null && asked.Repeat is { } repeat && KeyMap.Find(Current.Scope, key)?.Id == repeat)
        {
            choice = asked.Choices[0];
        }

        if (choice?.Run is { } run)
        {
            run();
        }
        else
        {
            Flash("cancelled", FlashKind.Info);
        }
    }

    private void RenderFooter() => Shell.Footer.Items = Chrome.Footer(KeyMap, Current.Scope, prompt, question, options.ReadOnly, context.Theme);

    // Re-opens the views that were open before an attach; views whose agent is gone are skipped.
    private void Restore(IReadOnlyList<ScreenRef> views)
    {
        foreach (ScreenRef view in views)
        {
            AgentInfo? agent = view.Agent is null ? null : snapshot.Agents.LastOrDefault(a => a.Name == view.Agent);
            Screen? screen = view.Kind switch
            {
                ViewScope.Panel when agent is not null => new AgentPanelView(context, agent),
                ViewScope.Log when agent is not null => new LogStreamView(context, agent),
                ViewScope.Sessions => new SessionsView(context),
                _ => null,
            };
            if (screen is not null)
            {
                stack.Add(screen);
            }
        }
    }
}
