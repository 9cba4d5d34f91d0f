using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui;

/// <summary>A run of text drawn with one attribute.</summary>
internal sealed record Segment(string Text, Attribute Attribute);
