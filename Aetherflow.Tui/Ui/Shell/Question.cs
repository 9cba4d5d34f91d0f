using Aetherflow.Tui.Ui.Keys;

namespace Aetherflow.Tui.Ui.Shell;

/// <summary>
/// A confirmation asked on the flash line: a question and one-key answers. Any other key cancels, so a stray key never
/// stops an agent.
/// </summary>
/// <param name="Text">The question, e.g. <c>Stop ghost_wolf?</c>.</param>
/// <param name="Choices">The answers.</param>
/// <param name="Repeat">Pressing the key of this action again also answers yes (ctrl+c twice quits).</param>
internal sealed record Question(string Text, IReadOnlyList<Question.Choice> Choices, ActionId? Repeat = null)
{
    /// <summary>A yes/no question whose yes runs <paramref name="yes"/>.</summary>
    public static Question YesNo(string text, Action yes, ActionId? repeat = null) =>
        new(text, [new Choice('y', "yes", yes), new Choice('n', "no", null)], repeat);

    /// <summary>One answer: its key, its word, and what it does (null: just close the question).</summary>
    public sealed record Choice(char Key, string Label, Action? Run);
}
