namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>A column of a <see cref="RowTable"/>.</summary>
/// <param name="Name">The header.</param>
/// <param name="MaxWidth">The widest the column grows to fit its cells.</param>
/// <param name="MinWidth">The narrowest a flexible column is squeezed to before columns are dropped.</param>
/// <param name="Flexible">Takes the spare width, and gives width first when the table is too narrow.</param>
/// <param name="AlignRight">Numbers line up on the right.</param>
/// <param name="DropOrder">0: always shown; otherwise, on a narrow terminal the column with the highest number goes first.</param>
internal sealed record TableColumn(string Name, int MaxWidth, int MinWidth = 4, bool Flexible = false, bool AlignRight = false, int DropOrder = 0);
