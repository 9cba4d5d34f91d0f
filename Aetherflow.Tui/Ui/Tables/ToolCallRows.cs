using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Presentation;
using Aetherflow.Tui.Ui.Widgets;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui.Tables;

/// <summary>An agent's tool calls, newest first: age, tool, what it worked on, duration, status.</summary>
internal static class ToolCallRows
{
    public static IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("AGE", 5, AlignRight: true),
        new("TOOL", 10, MinWidth: 4),
        new("INPUT", 200, MinWidth: 10, Flexible: true),
        new("DUR", 7, AlignRight: true, DropOrder: 2),
        new("STATUS", 9, DropOrder: 1),
    ];

    public static IReadOnlyList<TableRow> Rows(IReadOnlyList<ToolCallInfo> calls, DateTimeOffset now, Theme theme)
    {
        var rows = new List<TableRow>(calls.Count);
        for (int i = calls.Count - 1; i >= 0; i--)
        {
            ToolCallInfo call = calls[i];
            Attribute status = call.Status switch
            {
                "completed" => theme.Good,
                "error" => theme.Error,
                "running" => theme.Running,
                _ => theme.Dim,
            };
            string input = call.Error is { Length: > 0 } error ? $"{Label(call)} — {error}" : Label(call);
            rows.Add(new TableRow(
                i.ToString(CultureInfo.InvariantCulture),
                [
                    call.StartedAt is { } started ? Humanize.Uptime(now - started) : "-",
                    TerminalText.SanitizeLine(call.Tool),
                    TerminalText.SanitizeLine(input),
                    call.DurationMs is { } ms ? Duration(ms) : call.Status == "running" ? "…" : "-",
                    TerminalText.SanitizeLine(call.Status),
                ],
                call.Status == "error" ? theme.Error : null,
                [null, theme.Accent, null, theme.Dim, status]));
        }

        return rows;
    }

    // The title the tool gave the call says most (e.g. "Run the tests"); the raw input otherwise.
    private static string Label(ToolCallInfo call) =>
        string.IsNullOrWhiteSpace(call.Title) || call.Title == call.Input ? call.Input : $"{call.Title}: {call.Input}";

    private static string Duration(long ms) => ms < 1000
        ? ms.ToString(CultureInfo.InvariantCulture) + "ms"
        : (ms / 1000.0).ToString(ms < 60_000 ? "0.0" : "0", CultureInfo.InvariantCulture) + "s";
}
