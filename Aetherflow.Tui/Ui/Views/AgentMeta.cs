using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Presentation;
using Aetherflow.Tui.Ui.Tables;
using Aetherflow.Tui.Ui.Widgets;

namespace Aetherflow.Tui.Ui.Views;

/// <summary>The agent panel's meta box and task log, as text.</summary>
internal static class AgentMeta
{
    public static IReadOnlyList<(string Label, IReadOnlyList<Segment> Value)> Fields(AgentInfo agent, DateTimeOffset now, TimeZoneInfo zone, Theme theme)
    {
        Segment Plain(string? text) => new(TerminalText.SanitizeLine(string.IsNullOrEmpty(text) ? "-" : text), theme.Normal);
        string tokens = agent.InputTokens + agent.OutputTokens == 0
            ? "-"
            : $"{Humanize.Count(agent.InputTokens)} in / {Humanize.Count(agent.OutputTokens)} out";
        string spawned = TimeZoneInfo.ConvertTime(agent.SpawnedAt, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        string cost = agent.Cost > 0 ? " · " + AgentRows.Cost(agent.Cost) : string.Empty;
        return
        [
            ("name", [new Segment(TerminalText.SanitizeLine(agent.Name), theme.Accent), new Segment(" · " + TerminalText.SanitizeLine(agent.Role), theme.Normal)]),
            ("activity", [new Segment(AgentRows.Activity(agent), AgentRows.Colour(agent, theme) ?? theme.Good)]),
            ("task", [Plain(agent.TaskId)]),
            ("pid", [Plain(agent.Pid?.ToString(CultureInfo.InvariantCulture))]),
            ("up", [Plain($"{Humanize.Uptime(now - agent.SpawnedAt)} (spawned {spawned})")]),
            ("retries", [Plain(agent.Retries.ToString(CultureInfo.InvariantCulture))]),
            ("session", [Plain(agent.SessionId)]),
            ("tokens", [Plain(tokens + cost)]),
            ("branch", [Plain(agent.Branch)]),
            ("worktree", [Plain(agent.Worktree)]),
        ];
    }

    /// <summary>Full-width lines under the fields: what needs attention (a permission, an error, a failed read).</summary>
    public static IReadOnlyList<IReadOnlyList<Segment>> Lines(AgentInfo agent, AgentDetail? detail, string? problem, Theme theme)
    {
        var lines = new List<IReadOnlyList<Segment>>();
        foreach (PermissionRequestInfo asked in detail?.PendingPermissions ?? [])
        {
            lines.Add(
            [
                new Segment($"⚠ asks permission: {TerminalText.SanitizeLine(asked.Permission)} {TerminalText.SanitizeLine(string.Join(", ", asked.Patterns))}", theme.Warning),
                new Segment("  <P>", theme.Key),
                new Segment(" answer", theme.Dim),
            ]);
        }

        if (agent.LastError is { Length: > 0 } error)
        {
            lines.Add([new Segment("error: " + TerminalText.SanitizeLine(error), theme.Error)]);
        }

        if (problem is not null)
        {
            lines.Add([new Segment("could not read the detail: " + TerminalText.SanitizeLine(problem), theme.Error)]);
        }

        foreach (string note in detail?.Notes ?? [])
        {
            lines.Add([new Segment(TerminalText.SanitizeLine(note), theme.Warning)]);
        }

        return lines;
    }

    public static IEnumerable<StyledLine> TaskLog(IReadOnlyList<TaskLogLine> entries, TimeZoneInfo zone, Theme theme)
    {
        foreach (TaskLogLine entry in entries)
        {
            string at = TimeZoneInfo.ConvertTime(entry.At, zone).ToString("MM-dd HH:mm ", CultureInfo.InvariantCulture);
            string[] parts = TerminalText.Sanitize(entry.Message).Split('\n');
            yield return new StyledLine([new Segment(at, theme.Dim), new Segment(parts[0].Replace('\t', ' '), theme.Normal)], at.Length);
            foreach (string more in parts.Skip(1))
            {
                yield return new StyledLine([new Segment(new string(' ', at.Length) + more.Replace('\t', ' '), theme.Normal)], at.Length);
            }
        }
    }
}
