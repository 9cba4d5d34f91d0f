using System.CommandLine;
using System.Globalization;
using System.Text;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Presentation;

namespace Aetherflow.Tui.Commands;

/// <summary><c>aetherflow sessions [--json]</c>: this project's opencode sessions from the session registry.</summary>
internal static class SessionsCommand
{
    public static Command Create(CliHost host, GlobalOptions globals, EngineConnection engine)
    {
        var json = JsonOption.Create();
        var command = new Command("sessions", "List this project's opencode sessions (newest first); 'session attach <id>' opens one") { json };
        command.SetAction((result, cancellationToken) => engine.RunAsync(result, async (client, _) =>
        {
            IReadOnlyList<SessionInfo> sessions = await client.ListSessionsAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CommandOutput.Json(result, sessions, CliJson.Indented.IReadOnlyListSessionInfo);
                return ExitCodes.Success;
            }

            CommandOutput.Out(result).Write(Table(sessions, host.TimeProvider.GetUtcNow(), Terminal.Painter(result, host, globals), Terminal.Width(result)));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static string Table(IReadOnlyList<SessionInfo> sessions, DateTimeOffset now, Painter paint, int width)
    {
        if (sessions.Count == 0)
        {
            return "No sessions\n";
        }

        string[] header = ["SESSION", "STATUS", "ORIGIN", "AGENT", "WORK", "UPDATED", "DIRECTORY"];
        List<string[]> rows = sessions.Select(s => new[]
        {
            Clean(s.SessionId, 40), s.Status, s.Origin ?? "-", Clean(s.Agent ?? "-", 24), Clean(s.WorkRef ?? "-", 32),
            Humanize.Uptime(now - s.UpdatedAt) + " ago", Clean(s.Directory ?? "-", 200),
        }).ToList();
        int[] widths = Enumerable.Range(0, header.Length).Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max()).ToArray();
        var text = new StringBuilder();
        text.AppendLine(paint.Dim(Row(header, widths, width)));
        for (int i = 0; i < rows.Count; i++)
        {
            string line = Row(rows[i], widths, width);
            text.AppendLine(sessions[i].Status switch
            {
                "active" => paint.Green(line),
                "terminated" or "stale" => paint.Dim(line),
                _ => line,
            });
        }

        return text.ToString();
    }

    private static string Row(string[] cells, int[] widths, int width)
    {
        string line = string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        return width > 0 ? TerminalText.Truncate(line, width) : line;
    }

    private static string Clean(string text, int max) => TerminalText.Truncate(TerminalText.SanitizeLine(text), max);
}
