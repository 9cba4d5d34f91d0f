using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Ui.Widgets;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui.Views;

/// <summary>
/// An agent's event as log lines: time, the coloured segments the engine formatted, and the detail on a second line.
/// The text is sanitised again here, whatever the engine (or a remote one) did, so no escape sequence an agent wrote
/// reaches the terminal.
/// </summary>
internal static class EventLines
{
    private const int TimeWidth = 9;

    public static IEnumerable<StyledLine> Format(EventLine line, TimeZoneInfo zone, Theme theme)
    {
        string at = TimeZoneInfo.ConvertTime(line.At, zone).ToString("HH:mm:ss ", CultureInfo.InvariantCulture);
        var segments = new List<Segment> { new(at, theme.Dim) };
        segments.AddRange(line.Segments.Select(s => new Segment(TerminalText.SanitizeLine(s.Text), Colour(s.Kind, theme))));
        yield return new StyledLine(segments, TimeWidth);
        if (line.Detail is { Length: > 0 } detail)
        {
            yield return new StyledLine([new Segment(new string(' ', TimeWidth) + "↳ " + TerminalText.SanitizeLine(detail), theme.Dim)], TimeWidth + 2);
        }
    }

    /// <summary>The text a filter matches: the line and its detail.</summary>
    public static string Text(EventLine line) =>
        TerminalText.SanitizeLine(line.Text) + (line.Detail is { Length: > 0 } detail ? " " + TerminalText.SanitizeLine(detail) : string.Empty);

    private static Attribute Colour(string kind, Theme theme) => kind switch
    {
        "tool" => theme.Accent,
        "success" => theme.Good,
        "failure" or "error" => theme.Error,
        "running" => theme.Running,
        "warning" => theme.Warning,
        "dim" => theme.Dim,
        _ => theme.Normal,
    };
}
