namespace Aetherflow.Tui.Presentation;

/// <summary>
/// Colours for plain command output. Without colour (<c>--no-color</c>, <c>NO_COLOR</c>, output not a terminal) every
/// method returns the text unchanged. Pad first, then paint: escape codes have no width.
/// </summary>
internal sealed class Painter
{
    public Painter(bool enabled)
    {
        Enabled = enabled;
    }

    public bool Enabled { get; }

    public string Bold(string text) => Wrap("1", text);

    public string Dim(string text) => Wrap("2", text);

    public string Red(string text) => Wrap("31", text);

    public string Green(string text) => Wrap("32", text);

    public string Yellow(string text) => Wrap("33", text);

    public string Blue(string text) => Wrap("34", text);

    public string Cyan(string text) => Wrap("36", text);

    private string Wrap(string code, string text) => Enabled && text.Length > 0 ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
