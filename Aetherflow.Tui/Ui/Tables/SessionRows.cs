using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Presentation;
using Aetherflow.Tui.Ui.Widgets;

namespace Aetherflow.Tui.Ui.Tables;

/// <summary>The project's sessions from the registry, newest first.</summary>
internal static class SessionRows
{
    public static IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("SESSION", 32, MinWidth: 12),
        new("STATUS", 10),
        new("ORIGIN", 6, DropOrder: 3),
        new("WORK", 24, MinWidth: 8, DropOrder: 2),
        new("AGENT", 18, MinWidth: 8),
        new("UPDATED", 7, AlignRight: true),
        new("DIRECTORY", 200, MinWidth: 10, Flexible: true, DropOrder: 1),
    ];

    public static TableRow Row(SessionInfo session, DateTimeOffset now, Theme theme) => new(
        session.SessionId,
        [
            TerminalText.SanitizeLine(session.SessionId),
            TerminalText.SanitizeLine(session.Status),
            TerminalText.SanitizeLine(session.Origin ?? "-"),
            TerminalText.SanitizeLine(session.WorkRef ?? "-"),
            TerminalText.SanitizeLine(session.Agent ?? "-"),
            Humanize.Uptime(now - session.UpdatedAt),
            TerminalText.SanitizeLine(session.Directory ?? "-"),
        ],
        session.Status switch { "terminated" or "stale" => theme.Dim, _ => null });
}
