namespace Aetherflow.Tui.Ui.Keys;

/// <summary>Everything a key can do.</summary>
internal enum ActionId
{
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    NextPane,
    PreviousPane,
    Open,
    Logs,
    Back,
    Quit,
    Help,
    Command,
    Filter,
    Drain,
    Pause,
    Resume,
    Stop,
    Steer,
    Attach,
    Permission,
}
