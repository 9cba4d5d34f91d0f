using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Widgets;
using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Views;

/// <summary>Every key of the view it was opened from, from the one <see cref="KeyMap"/>, then the commands and the filter syntax.</summary>
internal sealed class HelpView : Screen
{
    private const int KeyWidth = 22;
    private readonly Pane pane;
    private readonly LinesView lines;
    private readonly ScreenRef from;

    public HelpView(ScreenContext context, Screen under, KeyMap keys, bool readOnly)
    {
        from = under.Ref;
        lines = new LinesView(context.Theme);
        pane = new Pane(context.Theme, $"Help: {under.Name}", lines) { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        pane.Active = true;
        lines.SetLines(Build(context.Theme, under, keys, readOnly));
    }

    public override ViewScope Scope => ViewScope.Help;

    public override View View => pane;

    public override string Name => "Help";

    public override ScreenRef Ref => from;

    /// <summary>The help text (tests).</summary>
    public static IReadOnlyList<StyledLine> Build(Theme theme, Screen under, KeyMap keys, bool readOnly)
    {
        var text = new List<StyledLine>
        {
            StyledLine.Of($"Keys of the {under.Name.ToLowerInvariant()} view", theme.Title),
        };
        foreach (KeyAction action in keys.For(under.Scope))
        {
            string mark = action.Mutates ? readOnly ? "  (disabled: read-only)" : "  *" : string.Empty;
            text.Add(new StyledLine(
                [
                    new Segment("  " + TextWidth.Pad(action.KeysLabel, KeyWidth - 2), theme.Key),
                    new Segment(action.Description, theme.Normal),
                    new Segment(mark, action.Mutates && readOnly ? theme.Error : theme.Dim),
                ],
                KeyWidth));
        }

        text.Add(StyledLine.Of(readOnly ? "  Read-only mode: keys and commands that change the swarm are disabled." : "  * changes the swarm; disabled with --readonly", theme.Dim));
        text.Add(StyledLine.Empty);
        text.Add(StyledLine.Of("Commands (:)", theme.Title));
        foreach (CommandSpec command in CommandCatalog.All)
        {
            string aliases = command.Aliases.Count > 0 ? $" (:{string.Join(", :", command.Aliases)})" : string.Empty;
            text.Add(new StyledLine(
                [
                    new Segment("  " + TextWidth.Pad(command.Usage, KeyWidth - 2), theme.Key),
                    new Segment(command.Description + aliases, theme.Normal),
                    new Segment(command.Mutates ? readOnly ? "  (disabled: read-only)" : "  *" : string.Empty, command.Mutates && readOnly ? theme.Error : theme.Dim),
                ],
                KeyWidth));
        }

        text.Add(StyledLine.Empty);
        text.Add(StyledLine.Of("In the bars", theme.Title));
        Row(text, theme, "/regex", "Keep rows (or log lines) that match, case-insensitive; matches are highlighted");
        Row(text, theme, "/!regex", "Keep rows that do not match");
        Row(text, theme, "enter / esc", "Run the command, keep the filter, send the message / cancel (esc in the filter bar clears it)");
        Row(text, theme, "tab", "Complete the command name");
        Row(text, theme, "↑ / ↓", "Earlier and later commands or messages");
        Row(text, theme, "ctrl+u / ctrl+w", "Clear the line / delete a word");
        return text;
    }

    public override void Scroll(ActionId move) => Scroll(lines, move);

    private static void Row(List<StyledLine> text, Theme theme, string keys, string description) =>
        text.Add(new StyledLine([new Segment("  " + TextWidth.Pad(keys, KeyWidth - 2), theme.Key), new Segment(description, theme.Normal)], KeyWidth));
}
