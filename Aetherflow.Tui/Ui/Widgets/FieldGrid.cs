using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// Labelled values in columns (two below 150 columns, three from 150), then full-width lines: the agent panel's meta
/// box. <see cref="RowsFor"/> tells the layout how tall it needs to be.
/// </summary>
internal sealed class FieldGrid : DrawnView
{
    private const int LabelWidth = 10;
    private readonly Theme theme;
    private IReadOnlyList<(string Label, IReadOnlyList<Segment> Value)> fields = [];
    private IReadOnlyList<IReadOnlyList<Segment>> lines = [];

    public FieldGrid(Theme theme)
    {
        this.theme = theme;
        Width = Dim.Fill();
        Height = Dim.Fill();
    }

    /// <summary>Sets the fields and the full-width lines under them.</summary>
    public void Set(IReadOnlyList<(string Label, IReadOnlyList<Segment> Value)> nextFields, IReadOnlyList<IReadOnlyList<Segment>> nextLines)
    {
        fields = nextFields;
        lines = nextLines;
        SetNeedsDraw();
    }

    /// <summary>How many rows the grid needs at <paramref name="width"/> columns.</summary>
    public int RowsFor(int width) => ((fields.Count + Columns(width) - 1) / Columns(width)) + lines.Count;

    /// <summary>The text, for tests.</summary>
    public string PlainText => string.Join('\n', fields.Select(f => f.Label + " " + string.Concat(f.Value.Select(s => s.Text))).Concat(lines.Select(l => string.Concat(l.Select(s => s.Text)))));

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width;
        int columns = Columns(width);
        int cell = width / columns;
        int rows = (fields.Count + columns - 1) / columns;
        for (int i = 0; i < fields.Count; i++)
        {
            int row = i % Math.Max(1, rows);
            int x = i / Math.Max(1, rows) * cell;
            int room = i / Math.Max(1, rows) == columns - 1 ? width - x : cell - 1;
            int used = DrawSegments(row, x, [new Segment(TextWidth.Pad(fields[i].Label, LabelWidth), theme.Dim)], room);
            DrawSegments(row, x + used, fields[i].Value, room - used);
        }

        for (int i = 0; i < lines.Count; i++)
        {
            DrawSegments(rows + i, 0, lines[i], width);
        }

        return true;
    }

    private static int Columns(int width) => width >= 150 ? 3 : 2;
}
