using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// Every colour the dashboard uses, in one place. Without colour (<c>--no-color</c> or <c>NO_COLOR</c>) every attribute
/// is the terminal's own default and emphasis falls back to bold and reverse video.
/// </summary>
internal sealed class Theme
{
    private Theme(bool color)
    {
        UsesColor = color;
        Attribute plain = new(Color.None, Color.None);
        Normal = plain;
        Dim = color ? new Attribute(Color.DarkGray, Color.None) : plain;
        Title = color ? new Attribute(Color.BrightCyan, Color.None, TextStyle.Bold) : new Attribute(Color.None, Color.None, TextStyle.Bold);
        Accent = color ? new Attribute(Color.Cyan, Color.None) : plain;
        Good = color ? new Attribute(Color.BrightGreen, Color.None) : plain;
        Warning = color ? new Attribute(Color.BrightYellow, Color.None) : new Attribute(Color.None, Color.None, TextStyle.Bold);
        Error = color ? new Attribute(Color.BrightRed, Color.None) : new Attribute(Color.None, Color.None, TextStyle.Bold);
        Key = color ? new Attribute(Color.BrightCyan, Color.None, TextStyle.Bold) : new Attribute(Color.None, Color.None, TextStyle.Bold);
        Selected = color ? new Attribute(Color.Black, Color.Cyan) : new Attribute(Color.None, Color.None, TextStyle.Reverse);
        Header = color ? new Attribute(Color.White, Color.None, TextStyle.Bold) : new Attribute(Color.None, Color.None, TextStyle.Bold);
        Match = color ? new Attribute(Color.Black, Color.BrightYellow) : new Attribute(Color.None, Color.None, TextStyle.Reverse | TextStyle.Underline);
        Cursor = new Attribute(Color.None, Color.None, TextStyle.Reverse);
        Running = color ? new Attribute(Color.Yellow, Color.None) : plain;
        Bold = new Attribute(Color.None, Color.None, TextStyle.Bold);
        Italic = new Attribute(Color.None, Color.None, TextStyle.Italic);
        Code = color ? new Attribute(Color.BrightMagenta, Color.None) : plain;
        Base = new Scheme(Normal)
        {
            Focus = Selected,
            HotNormal = Key,
            HotFocus = Selected,
            Active = Selected,
            HotActive = Selected,
            Highlight = Normal,
            Disabled = Dim,
        };
        Frame = new Scheme(Base) { Normal = Dim, Focus = Accent };
        ActiveFrame = new Scheme(Base) { Normal = color ? Accent : new Attribute(Color.None, Color.None, TextStyle.Bold), Focus = Accent };
    }

    public bool UsesColor { get; }

    public Attribute Normal { get; }

    public Attribute Dim { get; }

    public Attribute Title { get; }

    public Attribute Accent { get; }

    public Attribute Good { get; }

    public Attribute Warning { get; }

    public Attribute Error { get; }

    public Attribute Key { get; }

    public Attribute Selected { get; }

    /// <summary>Table headers.</summary>
    public Attribute Header { get; }

    /// <summary>Filter matches in tables and the log stream.</summary>
    public Attribute Match { get; }

    /// <summary>The text cursor in the command, filter and steer bars.</summary>
    public Attribute Cursor { get; }

    /// <summary>Work in progress (a running tool call).</summary>
    public Attribute Running { get; }

    /// <summary>Markdown strong emphasis.</summary>
    public Attribute Bold { get; }

    /// <summary>Markdown emphasis.</summary>
    public Attribute Italic { get; }

    /// <summary>Markdown code.</summary>
    public Attribute Code { get; }

    /// <summary>The scheme of the window and its tables.</summary>
    public Scheme Base { get; }

    /// <summary>Pane borders: dim, highlighted when the pane has focus.</summary>
    public Scheme Frame { get; }

    /// <summary>The border of the pane the keys act on.</summary>
    public Scheme ActiveFrame { get; }

    public static Theme Create(bool color) => new(color);
}
