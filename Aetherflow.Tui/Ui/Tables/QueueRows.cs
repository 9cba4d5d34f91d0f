using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Ui.Widgets;

namespace Aetherflow.Tui.Ui.Tables;

/// <summary>The queue: ready tasks waiting for a pool slot, in scheduling order.</summary>
internal static class QueueRows
{
    public static IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("ID", 20, MinWidth: 6),
        new("PRI", 4),
        new("TITLE", 200, MinWidth: 10, Flexible: true),
    ];

    public static TableRow Row(QueuedTask task) => new(
        task.Id,
        [TerminalText.SanitizeLine(task.Id), "P" + task.Priority.ToString(CultureInfo.InvariantCulture), TerminalText.SanitizeLine(task.Title)]);
}
