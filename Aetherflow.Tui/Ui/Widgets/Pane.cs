using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>A titled box around one table or text; its border lights up while the keys act on it.</summary>
internal sealed class Pane : FrameView
{
    private readonly Theme theme;
    private bool active;

    public Pane(Theme theme, string title, View content)
    {
        this.theme = theme;
        Content = content;
        CanFocus = false;
        TabStop = TabBehavior.NoStop;

        // Titles show data (agent names, task titles): an underscore must stay an underscore, not mark a hotkey.
        HotKeySpecifier = new System.Text.Rune(0xFFFF);
        Title = title;
        SetScheme(theme.Frame);
        Add(content);
    }

    public View Content { get; }

    public bool Active
    {
        get => active;
        set
        {
            active = value;
            SetScheme(value ? theme.ActiveFrame : theme.Frame);
            if (Content is RowTable table)
            {
                table.Active = value;
            }

            SetNeedsDraw();
        }
    }
}
