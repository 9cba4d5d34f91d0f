namespace Aetherflow.Tui.Ui.Shell;

/// <summary>An open input bar: its kind, the label before the text, the text, and where ↑/↓ take their entries from.</summary>
internal sealed class Prompt
{
    public Prompt(PromptKind kind, string label, History? history, string? target = null)
    {
        Kind = kind;
        Label = label;
        History = history;
        Target = target;
        History?.Reset();
    }

    public PromptKind Kind { get; }

    /// <summary>Shown before the text, e.g. <c>:</c> or <c>steer ghost_wolf › </c>.</summary>
    public string Label { get; }

    public LineEditor Editor { get; } = new();

    public History? History { get; }

    /// <summary>The agent a steer message goes to.</summary>
    public string? Target { get; }

    /// <summary>What tab would add, shown dimmed after the text.</summary>
    public string Suggestion => Kind == PromptKind.Command && Editor.Cursor == Editor.Text.Length ? CommandCatalog.Suggest(Editor.Text) : string.Empty;
}
