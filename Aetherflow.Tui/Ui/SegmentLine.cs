using System.Text;
using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// A one-line view that draws coloured segments left to right and cuts them off with an ellipsis at the edge — used
/// for the header, the flash line and the key hints. Segment text is sanitised by its producers.
/// </summary>
internal sealed class SegmentLine : View
{
    private IReadOnlyList<Segment> segments = [];

    public SegmentLine()
    {
        Height = 1;
        Width = Dim.Fill();
        CanFocus = false;
    }

    public IReadOnlyList<Segment> Segments
    {
        get => segments;
        set
        {
            segments = value;
            SetNeedsDraw();
        }
    }

    /// <summary>The plain text of the line, for tests and accessibility.</summary>
    public string PlainText => string.Concat(segments.Select(s => s.Text));

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width;
        int column = 0;
        foreach (Segment segment in segments)
        {
            if (column >= width)
            {
                break;
            }

            string text = Fit(segment.Text, width - column, out bool cut);
            SetAttribute(segment.Attribute);
            Move(column, 0);
            AddStr(text);
            column += text.Length;
            if (cut)
            {
                break;
            }
        }

        return true;
    }

    private static string Fit(string text, int room, out bool cut)
    {
        cut = text.Length > room;
        if (!cut)
        {
            return text;
        }

        var builder = new StringBuilder(text, 0, Math.Max(0, room - 1), room);
        builder.Append('…');
        return builder.ToString();
    }
}
