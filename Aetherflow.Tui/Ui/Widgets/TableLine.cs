using Terminal.Gui.ViewBase;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// One screen row of a <see cref="RowTable"/>, a view of its own so that Terminal.Gui redraws only the rows whose text
/// changed: drawing costs a few microseconds per cell, and a changed agent redrew all of a 200×65 table (40 ms) when
/// the table was one view.
/// </summary>
internal sealed class TableLine : DrawnView
{
    private int indent;
    private IReadOnlyList<Segment> segments = [];
    private Attribute? fill;

    public TableLine(int row)
    {
        X = 0;
        Y = row;
        Width = Dim.Fill();
        Height = 1;
    }

    /// <summary>The text shown, for tests and the table's own checks.</summary>
    public IReadOnlyList<Segment> Segments => segments;

    /// <summary>
    /// Shows <paramref name="next"/> from column <paramref name="at"/>, the rest of the row filled with
    /// <paramref name="rest"/> (or left blank); redraws only when that differs from what is shown.
    /// </summary>
    public void Show(int at, IReadOnlyList<Segment> next, Attribute? rest)
    {
        if (at == indent && rest == fill && next.SequenceEqual(segments))
        {
            return;
        }

        indent = at;
        segments = next;
        fill = rest;
        SetNeedsDraw();
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width;
        int used = indent + DrawSegments(0, indent, segments, width - indent);
        if (fill is { } attribute)
        {
            Fill(0, used, width - used, attribute);
        }

        return true;
    }
}
