using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Ui.Markdown;
using Aetherflow.Tui.Ui.Widgets;

namespace Aetherflow.Tui.Ui.Views;

/// <summary>The agent panel's task box: title, status, priority, dependencies, then description and definition of done from Markdown.</summary>
internal static class TaskText
{
    public static IReadOnlyList<StyledLine> Lines(AgentInfo agent, AgentDetail detail, Theme theme)
    {
        var lines = new List<StyledLine>();
        if (detail.Task is { } task)
        {
            lines.Add(StyledLine.Of(TerminalText.SanitizeLine(task.Title), theme.Title));
            lines.Add(new StyledLine(
            [
                new Segment("status ", theme.Dim),
                new Segment(TerminalText.SanitizeLine(task.Status), Status(task.Status, theme)),
                new Segment("  priority ", theme.Dim),
                new Segment("P" + task.Priority.ToString(CultureInfo.InvariantCulture), theme.Normal),
                new Segment("  id ", theme.Dim),
                new Segment(TerminalText.SanitizeLine(task.Id), theme.Accent),
            ]));
            lines.Add(new StyledLine([new Segment("deps ", theme.Dim), new Segment(task.Dependencies.Count == 0 ? "none" : TerminalText.SanitizeLine(string.Join(", ", task.Dependencies)), theme.Normal)], 5));
            if (task.Labels.Count > 0)
            {
                lines.Add(new StyledLine([new Segment("labels ", theme.Dim), new Segment(TerminalText.SanitizeLine(string.Join(", ", task.Labels)), theme.Normal)], 7));
            }

            Section(lines, "Description", task.Description, theme);
            Section(lines, "Definition of Done", task.DefinitionOfDone, theme);
        }
        else
        {
            lines.Add(StyledLine.Of(TerminalText.SanitizeLine(agent.Title), theme.Title));
            lines.Add(StyledLine.Of(
                agent.Origin == AgentOrigin.Spawn ? $"Spawned from a prompt ({TerminalText.SanitizeLine(agent.TaskId ?? "-")}); it has no tracker task." : "The tracker task could not be read.",
                theme.Dim));
        }

        if (detail.LastText is { Length: > 0 } text)
        {
            lines.Add(StyledLine.Empty);
            lines.Add(StyledLine.Of("── Latest output ──", theme.Dim));
            lines.AddRange(TerminalText.Sanitize(text).Split('\n').Select(l => StyledLine.Of(l.Replace('\t', ' '), theme.Normal)));
        }

        return lines;
    }

    private static void Section(List<StyledLine> lines, string title, string? markdown, Theme theme)
    {
        lines.Add(StyledLine.Empty);
        lines.Add(StyledLine.Of($"── {title} ──", theme.Dim));
        IReadOnlyList<StyledLine> body = MarkdownLines.Render(markdown, theme);
        lines.AddRange(body.Count > 0 ? body : [StyledLine.Of("(none)", theme.Dim)]);
    }

    private static Terminal.Gui.Drawing.Attribute Status(string status, Theme theme) => status switch
    {
        "in_progress" => theme.Good,
        "open" => theme.Accent,
        "blocked" => theme.Error,
        "reviewing" => theme.Warning,
        _ => theme.Dim,
    };
}
