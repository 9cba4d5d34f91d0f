using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>A view that draws coloured segments itself, cut at the edge; the base of every dashboard widget.</summary>
internal abstract class DrawnView : View
{
    protected DrawnView()
    {
        CanFocus = false;
    }

    /// <summary>Draws <paramref name="segments"/> at a position, cut to <paramref name="width"/> columns; returns the columns used.</summary>
    protected int DrawSegments(int row, int column, IReadOnlyList<Segment> segments, int width)
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

            SetAttribute(segment.Attribute);
            Move(column + used, row);
            AddStr(text);
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
