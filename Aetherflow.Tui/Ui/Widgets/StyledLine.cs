namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// One logical line of coloured text; a <see cref="LinesView"/> wraps it to the view's width, continuing wrapped rows
/// at <see cref="Indent"/> columns (so a bullet or a timestamp stays on its own).
/// </summary>
/// <param name="Segments">The text, in runs of one attribute each (already sanitised).</param>
/// <param name="Indent">Where continuation rows start.</param>
internal sealed record StyledLine(IReadOnlyList<Segment> Segments, int Indent = 0)
{
    public static StyledLine Empty { get; } = new([]);

    /// <summary>The line as plain text.</summary>
    public string Text => string.Concat(Segments.Select(s => s.Text));

    public static StyledLine Of(string text, Terminal.Gui.Drawing.Attribute attribute, int indent = 0) => new([new Segment(text, attribute)], indent);
}
