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
}
