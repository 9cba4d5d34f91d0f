using Aetherflow.Tui.Ui.Views;
using Aetherflow.Tui.Ui.Widgets;
using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Aetherflow.Tui.Ui.Shell;

/// <summary>
/// The frame around every view: the header (project, engine, pool, mode, counts) on top, the current view in the
/// middle, then the status line (flash, confirmations, input bars) and the key hints of the current view.
/// </summary>
internal sealed class DashboardShell : Window
{
    private readonly View content = new() { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(2), CanFocus = false };

    public DashboardShell(Theme theme)
    {
        BorderStyle = LineStyle.None;
        SetScheme(theme.Base);
        Status = new StatusLine(theme) { X = 0, Y = Pos.AnchorEnd(2) };
        Footer.Y = Pos.AnchorEnd(1);
        Add(Header, content, Status, Footer);
    }

    public PriorityLine Header { get; } = new() { X = 0, Y = 0 };

    public StatusLine Status { get; }

    public PriorityLine Footer { get; } = new() { X = 0 };

    /// <summary>Shows <paramref name="screen"/> in the middle, in place of the previous view.</summary>
    public void Show(Screen screen)
    {
        ArgumentNullException.ThrowIfNull(screen);
        foreach (View shown in content.SubViews.ToList())
        {
            content.Remove(shown);
        }

        content.Add(screen.View);
        SetNeedsLayout();
        SetNeedsDraw();
    }
}
