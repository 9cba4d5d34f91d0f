namespace Aetherflow.Tui.Ui.Shell;

/// <summary>What the bar under the panes is collecting.</summary>
internal enum PromptKind
{
    /// <summary><c>:</c> a command.</summary>
    Command,

    /// <summary><c>/</c> a filter, applied while typing.</summary>
    Filter,

    /// <summary><c>s</c> a message for an agent.</summary>
    Steer,
}
