namespace Aetherflow.Tui.Ui.Shell;

/// <summary>How a flash message is coloured.</summary>
internal enum FlashKind
{
    /// <summary>A confirmation (green).</summary>
    Info,

    /// <summary>Something needs attention (yellow).</summary>
    Warning,

    /// <summary>An action failed (red).</summary>
    Error,
}
