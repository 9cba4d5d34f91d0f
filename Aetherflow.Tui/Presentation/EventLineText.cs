using System.Globalization;
using System.Text;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;

namespace Aetherflow.Tui.Presentation;

/// <summary>
/// An agent's event as a log line for <c>aetherflow logs</c> and <c>spawn</c>: <c>HH:mm:ss  segments</c>, a second
/// indented line for the detail, coloured by segment kind. The engine sanitised the text; it is cleaned again here
/// because it reaches a terminal.
/// </summary>
internal static class EventLineText
{
    public static string Format(EventLine line, Painter paint)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(paint);
        var text = new StringBuilder();
        text.Append(paint.Dim(line.At.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture))).Append("  ");
        foreach (EventSegment segment in line.Segments)
        {
            text.Append(Paint(paint, segment.Kind, TerminalText.SanitizeLine(segment.Text)));
        }

        if (!string.IsNullOrEmpty(line.Detail))
        {
            text.Append('\n').Append("          ").Append(paint.Dim("→ " + TerminalText.SanitizeLine(line.Detail)));
        }

        return text.ToString();
    }

    private static string Paint(Painter paint, string kind, string text) => kind switch
    {
        "tool" => paint.Cyan(text),
        "success" => paint.Green(text),
        "failure" or "error" => paint.Red(text),
        "running" or "warning" => paint.Yellow(text),
        "dim" => paint.Dim(text),
        _ => text,
    };
}
