using System.Text;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Ui.Keys;

/// <summary>
/// One key that triggers an action. Printable keys match by the character they type (so <c>G</c>, <c>?</c> and
/// <c>:</c> work whatever the terminal reports about shift); other keys match by key code.
/// </summary>
internal sealed class KeyChord
{
    private readonly Rune? character;
    private readonly Key? key;

    private KeyChord(Rune? character, Key? key, string label)
    {
        this.character = character;
        this.key = key;
        Label = label;
    }

    /// <summary>How help shows the key, e.g. <c>j</c>, <c>↓</c>, <c>ctrl+c</c>.</summary>
    public string Label { get; }

    public static KeyChord Char(char c) => new(new Rune(c), null, c.ToString());

    public static KeyChord Special(Key key, string label) => new(null, key, label);

    public bool Matches(Key pressed)
    {
        ArgumentNullException.ThrowIfNull(pressed);
        if (key is { } special)
        {
            return pressed == special;
        }

        return !pressed.IsCtrl && !pressed.IsAlt && pressed.TryGetPrintableRune(out Rune typed) && typed == character;
    }
}
