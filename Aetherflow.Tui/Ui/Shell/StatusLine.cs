using Aetherflow.Engine.Text;
using Aetherflow.Tui.Ui.Widgets;
using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Shell;

/// <summary>
/// The line under the panes. It shows, most urgent first: the open input bar (command, filter, steer), a pending
/// confirmation, the latest flash message, or the engine's first warning.
/// </summary>
internal sealed class StatusLine : DrawnView
{
    private readonly Theme theme;
    private Prompt? prompt;
    private Question? question;
    private (string Text, FlashKind Kind)? flash;
    private IReadOnlyList<string> warnings = [];

    public StatusLine(Theme theme)
    {
        this.theme = theme;
        Height = 1;
        Width = Dim.Fill();
    }

    public Prompt? Prompt
    {
        get => prompt;
        set
        {
            prompt = value;
            SetNeedsDraw();
        }
    }

    public Question? Question
    {
        get => question;
        set
        {
            question = value;
            SetNeedsDraw();
        }
    }

    public (string Text, FlashKind Kind)? Flash
    {
        get => flash;
        set
        {
            flash = value;
            SetNeedsDraw();
        }
    }

    /// <summary>The engine's current warnings; the first is shown when nothing else is.</summary>
    public IReadOnlyList<string> Warnings
    {
        get => warnings;
        set
        {
            if (value.SequenceEqual(warnings))
            {
                warnings = value;
                return;
            }

            warnings = value;
            SetNeedsDraw();
        }
    }

    /// <summary>What the line shows, as plain text.</summary>
    public string PlainText => string.Concat(Segments(int.MaxValue).Select(s => s.Text));

    protected override bool OnDrawingContent(DrawContext? context)
    {
        DrawSegments(0, 0, Segments(Viewport.Width), Viewport.Width);
        return true;
    }

    private List<Segment> Segments(int width)
    {
        if (prompt is { } open)
        {
            return PromptSegments(open, width);
        }

        if (question is { } asked)
        {
            var segments = new List<Segment> { new(" " + asked.Text + " ", theme.Warning) };
            foreach (Question.Choice choice in asked.Choices)
            {
                segments.Add(new Segment(" <" + choice.Key + ">", theme.Key));
                segments.Add(new Segment(" " + choice.Label, theme.Dim));
            }

            return segments;
        }

        if (flash is { } shown)
        {
            var attribute = shown.Kind switch { FlashKind.Error => theme.Error, FlashKind.Warning => theme.Warning, _ => theme.Good };
            return [new Segment(" " + TerminalText.SanitizeLine(shown.Text), attribute)];
        }

        if (warnings.Count > 0)
        {
            string more = warnings.Count > 1 ? $" (+{warnings.Count - 1} more)" : string.Empty;
            return [new Segment(" ⚠ " + TerminalText.SanitizeLine(warnings[0]) + more, theme.Warning)];
        }

        return [];
    }

    // The label, the text with a cursor cell, and the completion in dim; long text scrolls so the cursor stays visible.
    private List<Segment> PromptSegments(Prompt open, int width)
    {
        string label = " " + open.Label;
        string before = open.Editor.BeforeCursor;
        string after = open.Editor.Text[before.Length..];
        string under = after.Length > 0 ? char.IsSurrogate(after[0]) && after.Length > 1 ? after[..2] : after[..1] : " ";
        string rest = after.Length > 0 ? after[under.Length..] : string.Empty;
        int room = width - TextWidth.Of(label) - 1;
        if (width != int.MaxValue && TextWidth.Of(before) > room && room > 1)
        {
            before = "…" + before[^Math.Max(0, room - 1)..];
        }

        return
        [
            new Segment(label, theme.Key),
            new Segment(before, theme.Normal),
            new Segment(under, theme.Cursor),
            new Segment(rest, theme.Normal),
            new Segment(open.Suggestion, theme.Dim),
        ];
    }
}
