using Aetherflow.Tui.Ui.Attach;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Views;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// What the dashboard remembers while it is torn down for an attach and built again afterwards: the open views, the
/// command and message history, a message to show on return, and the pending attach itself.
/// </summary>
internal sealed class DashboardState
{
    public History Commands { get; } = new();

    public History Messages { get; } = new();

    /// <summary>The open views, bottom first.</summary>
    public IReadOnlyList<ScreenRef> Views { get; set; } = [];

    /// <summary>Shown in the flash line when the dashboard comes back.</summary>
    public (string Text, FlashKind Kind)? Flash { get; set; }

    /// <summary>Set when the user asked to attach; the runner suspends the dashboard for it.</summary>
    public AttachRequest? Attach { get; set; }
}
