using System.Text.RegularExpressions;
using Terminal.Gui.ViewBase;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// A table drawn the k9s way: a bold header, one row per item, a cursor bar on the selected row while the table is
/// the active one, filter matches highlighted. The cursor follows its row (by key) when rows are added, removed or
/// reordered. Columns are laid out by <see cref="ColumnLayout"/>.
/// </summary>
internal sealed class RowTable : DrawnView
{
    private readonly Theme theme;
    private IReadOnlyList<TableRow> rows = [];
    private int selected;
    private int offset;
    private bool active;
    private Regex? highlight;
    private string emptyText = string.Empty;

    public RowTable(Theme theme, IReadOnlyList<TableColumn> columns)
    {
        this.theme = theme;
        Columns = columns;
        Width = Dim.Fill();
        Height = Dim.Fill();
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<TableRow> Rows => rows;

    /// <summary>The row under the cursor, if any.</summary>
    public TableRow? Selected => rows.Count == 0 ? null : rows[Math.Clamp(selected, 0, rows.Count - 1)];

    public int SelectedIndex => rows.Count == 0 ? -1 : selected;

    /// <summary>Shows the cursor bar (the table keys act on this table).</summary>
    public bool Active
    {
        get => active;
        set
        {
            active = value;
            SetNeedsDraw();
        }
    }

    /// <summary>Matches to highlight (the filter), or null.</summary>
    public Regex? Highlight
    {
        get => highlight;
        set
        {
            if (value?.ToString() == highlight?.ToString() && value?.Options == highlight?.Options)
            {
                return;
            }

            highlight = value;
            SetNeedsDraw();
        }
    }

    /// <summary>Shown in the middle when there are no rows.</summary>
    public string EmptyText
    {
        get => emptyText;
        set
        {
            if (value == emptyText)
            {
                return;
            }

            emptyText = value;
            SetNeedsDraw();
        }
    }

    private int VisibleRows => Math.Max(1, Viewport.Height - 1);

    /// <summary>
    /// Replaces the rows; the cursor stays on the row with the same key, or at the same position. Rows that show what
    /// is already shown cause no redraw (the dashboard's clock tick re-renders every second; drawing is what costs).
    /// </summary>
    public void SetRows(IReadOnlyList<TableRow> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.Count == rows.Count && next.Zip(rows).All(pair => pair.First.SameAs(pair.Second)))
        {
            rows = next;
            return;
        }

        string? key = Selected?.Key;
        rows = next;
        int found = key is null ? -1 : IndexOf(key);
        selected = found >= 0 ? found : Math.Clamp(selected, 0, Math.Max(0, rows.Count - 1));
        KeepVisible();
        SetNeedsDraw();
    }

    /// <summary>Puts the cursor on the row with <paramref name="key"/>; false when there is none.</summary>
    public bool Select(string key)
    {
        int index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        selected = index;
        KeepVisible();
        SetNeedsDraw();
        return true;
    }

    public void Move(int delta)
    {
        if (rows.Count == 0)
        {
            return;
        }

        selected = Math.Clamp(selected + delta, 0, rows.Count - 1);
        KeepVisible();
        SetNeedsDraw();
    }

    public void Page(int direction) => Move(direction * VisibleRows);

    public void Top() => Move(-rows.Count);

    public void Bottom() => Move(rows.Count);

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width;
        if (rows.Count == 0)
        {
            string text = TextWidth.Fit(emptyText, width);
            int row = Math.Max(0, (Viewport.Height - 1) / 2);
            DrawSegments(row, Math.Max(0, (width - TextWidth.Of(text)) / 2), [new Segment(text, theme.Dim)], width);
            return true;
        }

        int[] widths = ColumnLayout.Compute(Columns, rows, width);
        DrawCells(0, Columns.Select(c => c.Name).ToList(), widths, _ => theme.Header, width);

        KeepVisible();
        for (int line = 0; line < VisibleRows && offset + line < rows.Count; line++)
        {
            int index = offset + line;
            TableRow row = rows[index];
            bool cursor = active && index == selected;
            Attribute rowAttribute = cursor ? theme.Selected : row.Attribute ?? theme.Normal;
            int used = DrawCells(line + 1, row.Cells, widths, c => cursor ? theme.Selected : row.CellAttributes?.ElementAtOrDefault(c) ?? rowAttribute, width, cursor ? null : highlight);
            if (cursor)
            {
                Fill(line + 1, used, width - used, theme.Selected);
            }
        }

        return true;
    }

    private int DrawCells(int line, IReadOnlyList<string> cells, int[] widths, Func<int, Attribute> attribute, int width, Regex? marks = null)
    {
        int column = 0;
        bool first = true;
        for (int c = 0; c < widths.Length && column < width; c++)
        {
            if (widths[c] == 0)
            {
                continue;
            }

            if (!first)
            {
                column += DrawSegments(line, column, [new Segment(new string(' ', ColumnLayout.Gap), attribute(c))], width - column);
            }

            first = false;
            string cell = TextWidth.Pad(c < cells.Count ? cells[c] : string.Empty, widths[c], Columns[c].AlignRight);
            IReadOnlyList<Segment> segments = StyledText.Highlight([new Segment(cell, attribute(c))], marks, theme.Match);
            column += DrawSegments(line, column, segments, Math.Min(widths[c], width - column));
        }

        return column;
    }

    private int IndexOf(string key)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }

    private void KeepVisible()
    {
        int visible = VisibleRows;
        if (selected < offset)
        {
            offset = selected;
        }
        else if (selected >= offset + visible)
        {
            offset = selected - visible + 1;
        }

        offset = Math.Clamp(offset, 0, Math.Max(0, rows.Count - visible));
    }
}
