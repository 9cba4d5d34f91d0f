namespace Aetherflow.Tui.Ui.Views;

/// <summary>Which view was open (and on which agent), so the navigation survives the UI restart after an attach.</summary>
/// <param name="Kind">The view.</param>
/// <param name="Agent">Its agent, for the panel and the log stream.</param>
internal sealed record ScreenRef(Keys.ViewScope Kind, string? Agent = null);
