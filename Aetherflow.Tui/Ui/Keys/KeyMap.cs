using Terminal.Gui.Input;
using static Aetherflow.Tui.Ui.Keys.KeyChord;

namespace Aetherflow.Tui.Ui.Keys;

/// <summary>
/// The one list of keys. Dispatch, the footer hints, the <c>?</c> help and read-only mode all read it, so a key that
/// works is always documented and a documented key always works. The first entry whose scope includes the current
/// view and whose chord matches wins.
/// </summary>
internal sealed class KeyMap
{
    private const ViewScope Tables = ViewScope.Dashboard | ViewScope.Sessions;
    private const ViewScope Panes = ViewScope.Dashboard | ViewScope.Panel;
    private const ViewScope Filterable = ViewScope.Dashboard | ViewScope.Panel | ViewScope.Log | ViewScope.Sessions;

    public static KeyMap Default { get; } = new(
    [
        new(ActionId.Open, [Special(Key.Enter, "enter")], Tables, "Open the selected agent's panel", Hint: "panel", FooterPriority: 10),
        new(ActionId.Logs, [Char('l')], ViewScope.Dashboard | ViewScope.Panel | ViewScope.Sessions, "Open the agent's log stream, full screen", Hint: "logs", FooterPriority: 11),
        new(ActionId.Steer, [Char('s')], ViewScope.AgentViews, "Send the agent a message; it is recorded in its log with who sent it", Mutates: true, Hint: "steer", FooterPriority: 14),
        new(ActionId.Stop, [Char('x')], ViewScope.AgentViews, "Stop the agent (asks first); a pool task goes back to open", Mutates: true, Hint: "stop", FooterPriority: 15),
        new(ActionId.Attach, [Char('a')], ViewScope.AgentViews | ViewScope.Sessions, "Attach opencode to the agent's session; quit opencode to come back", Mutates: true, Hint: "attach", FooterPriority: 16),
        new(ActionId.Permission, [Char('P')], ViewScope.AgentViews, "Answer the agent's permission request: once, always or reject", Mutates: true),
        new(ActionId.Pause, [Char('p')], ViewScope.Dashboard, "Pause the pool: no new tasks, no respawns; running agents go on", Mutates: true, Hint: "pause", FooterPriority: 30),
        new(ActionId.Resume, [Char('r')], ViewScope.Dashboard, "Resume the pool: schedule tasks again", Mutates: true, Hint: "resume", FooterPriority: 31),
        new(ActionId.Drain, [Char('d')], ViewScope.Dashboard, "Drain the pool: no new tasks; crashed agents are still respawned", Mutates: true, Hint: "drain", FooterPriority: 32),
        new(ActionId.NextPane, [Special(Key.Tab, "tab")], Panes, "Next pane", Hint: "pane", FooterPriority: 40),
        new(ActionId.PreviousPane, [Special(Key.Tab.WithShift, "shift+tab")], Panes, "Previous pane"),
        new(ActionId.Down, [Char('j'), Special(Key.CursorDown, "↓")], Tables, "Move down", Hint: "move", FooterKeys: "j/k", FooterPriority: 45),
        new(ActionId.Down, [Char('j'), Special(Key.CursorDown, "↓")], ~Tables, "Scroll down", Hint: "scroll", FooterKeys: "j/k", FooterPriority: 45),
        new(ActionId.Up, [Char('k'), Special(Key.CursorUp, "↑")], Tables, "Move up"),
        new(ActionId.Up, [Char('k'), Special(Key.CursorUp, "↑")], ViewScope.Log, "Scroll up; stops following"),
        new(ActionId.Up, [Char('k'), Special(Key.CursorUp, "↑")], ~Tables, "Scroll up"),
        new(ActionId.PageDown, [Special(Key.PageDown, "pgdn"), Special(Key.F.WithCtrl, "ctrl+f")], ViewScope.All, "Page down"),
        new(ActionId.PageUp, [Special(Key.PageUp, "pgup"), Special(Key.B.WithCtrl, "ctrl+b")], ViewScope.All, "Page up"),
        new(ActionId.Top, [Char('g'), Special(Key.Home, "home")], ViewScope.Log, "Jump to the first line; stops following", Hint: "top", FooterPriority: 42),
        new(ActionId.Top, [Char('g'), Special(Key.Home, "home")], ViewScope.All, "Jump to the top"),
        new(ActionId.Bottom, [Char('G'), Special(Key.End, "end")], ViewScope.Log, "Jump to the end and follow new events", Hint: "follow", FooterPriority: 41),
        new(ActionId.Bottom, [Char('G'), Special(Key.End, "end")], ViewScope.All, "Jump to the end"),
        new(ActionId.Filter, [Char('/')], Filterable, "Filter with a regular expression; /!… keeps what does not match; esc clears", Hint: "filter", FooterPriority: 12),
        new(ActionId.Command, [Char(':')], ViewScope.All, "Command bar (:agents :queue :sessions :spawn <prompt> :q); tab completes, ↑/↓ history", Hint: "cmd", FooterPriority: 13),
        new(ActionId.Back, [Special(Key.Esc, "esc")], ViewScope.Dashboard, "Clear the filter"),
        new(ActionId.Back, [Special(Key.Esc, "esc")], ViewScope.All, "Back to the previous view", Hint: "back", FooterPriority: 4),
        new(ActionId.Help, [Char('?')], ViewScope.All & ~ViewScope.Help, "Show every key of this view", Hint: "help", FooterPriority: 2),
        new(ActionId.Quit, [Char('q'), Special(Key.C.WithCtrl, "ctrl+c")], ViewScope.All, "Quit (asks first while this process's engine runs agents, unless --no-confirm)", Hint: "quit", FooterPriority: 1),
    ]);

    private KeyMap(IReadOnlyList<KeyAction> actions)
    {
        Actions = actions;
    }

    public IReadOnlyList<KeyAction> Actions { get; }

    /// <summary>The action <paramref name="key"/> triggers in <paramref name="scope"/>, or null.</summary>
    public KeyAction? Find(ViewScope scope, Key key) =>
        Actions.FirstOrDefault(a => (a.Scope & scope) != 0 && a.Chords.Any(c => c.Matches(key)));

    /// <summary>Every action of a view, one per id (the entry that wins there), in map order.</summary>
    public IReadOnlyList<KeyAction> For(ViewScope scope)
    {
        var seen = new HashSet<ActionId>();
        return Actions.Where(a => (a.Scope & scope) != 0 && seen.Add(a.Id)).ToList();
    }
}
