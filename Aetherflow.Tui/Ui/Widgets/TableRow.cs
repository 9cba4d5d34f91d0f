using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>A row of a <see cref="RowTable"/>: its cells (sanitised), an identity that keeps the cursor on it across updates, and colours.</summary>
/// <param name="Key">What the row is (an agent's name, a task id) — the cursor follows it when rows move.</param>
/// <param name="Cells">One text per column.</param>
/// <param name="Attribute">The row's colour, e.g. red for a failed agent; null for the normal colour.</param>
/// <param name="CellAttributes">Per-cell colours that override the row's (null entries keep it).</param>
internal sealed record TableRow(string Key, IReadOnlyList<string> Cells, Attribute? Attribute = null, IReadOnlyList<Attribute?>? CellAttributes = null)
{
    /// <summary>The row's text for filtering: all cells, separated by spaces.</summary>
    public string Text => string.Join(' ', Cells);

    /// <summary>True when <paramref name="other"/> shows exactly the same (cells hold values, so records compare lists by reference).</summary>
    public bool SameAs(TableRow other) =>
        Key == other.Key
        && Cells.SequenceEqual(other.Cells)
        && Attribute == other.Attribute
        && (CellAttributes is null ? other.CellAttributes is null : other.CellAttributes is not null && CellAttributes.SequenceEqual(other.CellAttributes));
}
