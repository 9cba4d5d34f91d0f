using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>A view that draws coloured segments itself, cut at the edge; the base of every dashboard widget.</summary>
internal abstract class DrawnView : View
{
    // The segments being drawn, cut to width; kept between draws so drawing does not allocate.
    private readonly List<Segment> fitted = [];

    protected DrawnView()
    {
        CanFocus = false;
    }

    /// <summary>Draws <paramref name="segments"/> at a position, cut to <paramref name="width"/> columns; returns the columns used.</summary>
    protected int DrawSegments(int row, int column, IReadOnlyList<Segment> segments, int width)
    {
        fitted.Clear();
        int used = AppendFitted(fitted, segments, width);
        int at = column;
        foreach (Segment segment in fitted)
        {
            SetAttribute(segment.Attribute);
            Move(at, row);
            AddStr(segment.Text);
            at += TextWidth.Of(segment.Text);
        }

        return used;
    }

    /// <summary>
    /// Adds <paramref name="segments"/> to <paramref name="line"/> cut to <paramref name="width"/> columns, as they are
    /// drawn: a segment that does not fit ends with an ellipsis and nothing follows it. Returns the columns used.
    /// </summary>
    internal static int AppendFitted(List<Segment> line, IReadOnlyList<Segment> segments, int width)
    {
        int used = 0;
        foreach (Segment segment in segments)
        {
            if (used >= width)
            {
                break;
            }

            string text = TextWidth.Fit(segment.Text, width - used);
            if (text.Length == 0)
            {
                continue;
            }

            line.Add(text.Length == segment.Text.Length ? segment : segment with { Text = text });
            used += TextWidth.Of(text);
            if (text.Length < segment.Text.Length && text.EndsWith('…'))
            {
                break;
            }
        }

        return used;
    }

    /// <summary>Fills the rest of a row with spaces in one attribute (a selection bar).</summary>
    protected void Fill(int row, int column, int width, Terminal.Gui.Drawing.Attribute attribute)
    {
        if (width <= 0)
        {
            return;
        }

        SetAttribute(attribute);
        Move(column, row);
        AddStr(new string(' ', width));
    }
}
