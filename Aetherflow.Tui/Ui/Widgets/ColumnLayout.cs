namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// Decides column widths for a table: each column as wide as its widest cell up to its maximum; spare width goes to
/// the flexible column; when the terminal is too narrow, flexible columns shrink to their minimum first, then the
/// least important columns are dropped (width 0), so the name and state of a row stay readable at 80 columns.
/// </summary>
internal static class ColumnLayout
{
    public const int Gap = 1;

    public static int[] Compute(IReadOnlyList<TableColumn> columns, IReadOnlyList<TableRow> rows, int width)
    {
        int[] natural = new int[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            int widest = TextWidth.Of(columns[c].Name);
            foreach (TableRow row in rows)
            {
                if (c < row.Cells.Count)
                {
                    widest = Math.Max(widest, TextWidth.Of(row.Cells[c]));
                }
            }

            natural[c] = Math.Min(widest, columns[c].MaxWidth);
        }

        // Squeeze the flexible columns to their minimum; if that is not enough, drop the least important column and
        // lay out again from natural widths, so a dropped column gives its room back to the flexible ones.
        bool[] shown = Enumerable.Repeat(true, columns.Count).ToArray();
        while (true)
        {
            int[] widths = Layout(columns, natural, shown, width, out bool fits);
            if (fits || !DropOne(columns, shown))
            {
                return widths;
            }
        }
    }

    private static int[] Layout(IReadOnlyList<TableColumn> columns, int[] natural, bool[] shown, int width, out bool fits)
    {
        int[] widths = new int[columns.Count];
        int count = 0;
        for (int c = 0; c < columns.Count; c++)
        {
            if (shown[c])
            {
                widths[c] = natural[c];
                count++;
            }
        }

        int total = widths.Sum() + (Math.Max(0, count - 1) * Gap);
        if (total <= width)
        {
            int flexible = FlexibleColumn(columns, shown);
            if (flexible >= 0)
            {
                widths[flexible] += width - total;
            }

            fits = true;
            return widths;
        }

        int overflow = total - width;
        foreach (int c in Enumerable.Range(0, columns.Count).Where(c => shown[c] && columns[c].Flexible).OrderByDescending(c => widths[c]))
        {
            int give = Math.Min(overflow, Math.Max(0, widths[c] - columns[c].MinWidth));
            widths[c] -= give;
            overflow -= give;
        }

        fits = overflow == 0;
        return widths;
    }

    private static int FlexibleColumn(IReadOnlyList<TableColumn> columns, bool[] shown)
    {
        for (int c = 0; c < columns.Count; c++)
        {
            if (shown[c] && columns[c].Flexible)
            {
                return c;
            }
        }

        return Array.LastIndexOf(shown, true);
    }

    private static bool DropOne(IReadOnlyList<TableColumn> columns, bool[] shown)
    {
        int drop = -1;
        for (int c = 0; c < columns.Count; c++)
        {
            if (shown[c] && columns[c].DropOrder > 0 && (drop < 0 || columns[c].DropOrder >= columns[drop].DropOrder))
            {
                drop = c;
            }
        }

        if (drop < 0)
        {
            return false;
        }

        shown[drop] = false;
        return true;
    }
}
