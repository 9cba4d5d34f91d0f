namespace Aetherflow.Tui.Ui.Keys;

/// <summary>One entry of the <see cref="KeyMap"/>: what a key does, where, and whether it changes anything.</summary>
/// <param name="Id">The action.</param>
/// <param name="Chords">The keys that trigger it.</param>
/// <param name="Scope">The views it works in.</param>
/// <param name="Description">One line for the help view.</param>
/// <param name="Mutates">It changes the swarm (disabled with <c>--readonly</c>).</param>
/// <param name="Hint">The footer hint, e.g. <c>logs</c>; null to leave it to the help.</param>
/// <param name="FooterKeys">The key as the footer shows it, when it differs from the first chord (e.g. <c>j/k</c>).</param>
/// <param name="FooterPriority">Which hints stay when the footer is too narrow: lower numbers stay longer.</param>
internal sealed record KeyAction(
    ActionId Id,
    IReadOnlyList<KeyChord> Chords,
    ViewScope Scope,
    string Description,
    bool Mutates = false,
    string? Hint = null,
    string? FooterKeys = null,
    int FooterPriority = 50)
{
    /// <summary>Every key, e.g. <c>j, ↓</c>.</summary>
    public string KeysLabel => string.Join(", ", Chords.Select(c => c.Label));

    public string FooterLabel => FooterKeys ?? Chords[0].Label;
}
