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

    /// <summary>The scheme of the window and its tables.</summary>
    public Scheme Base { get; }

    /// <summary>Pane borders: dim, highlighted when the pane has focus.</summary>
    public Scheme Frame { get; }

    public static Theme Create(bool color) => new(color);
}
