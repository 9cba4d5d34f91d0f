using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Presentation;
using Aetherflow.Tui.Ui.Widgets;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui.Tables;

/// <summary>The agent table: pool and spawned agents, one row each; all text sanitised.</summary>
internal static class AgentRows
{
    public static IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("NAME", 18, MinWidth: 8),
        new("TASK", 14, MinWidth: 6, DropOrder: 3),
        new("TITLE", 40, MinWidth: 20, Flexible: true),
        new("ROLE", 7, DropOrder: 5),
        new("ACTIVITY", 12),
        new("UP", 6, AlignRight: true, DropOrder: 2),
        new("LAST TOOL", 32, MinWidth: 16, Flexible: true, DropOrder: 1),
        new("RETRY", 5, AlignRight: true, DropOrder: 7),
        new("TOKENS", 7, AlignRight: true, DropOrder: 6),
        new("COST", 7, AlignRight: true, DropOrder: 8),
    ];

    /// <summary>The word in the ACTIVITY column: busy, idle, hung, permission, exited 1…</summary>
    public static string Activity(AgentInfo agent) => agent.Activity switch
    {
        AgentActivity.WaitingForPermission => "permission",
        AgentActivity.BackingOff => "backoff",
        AgentActivity.Exited => agent.ExitCode is { } code ? $"exited {code}" : "exited",
        _ => agent.Activity.ToString().ToLowerInvariant(),
    };

    public static TableRow Row(AgentInfo agent, DateTimeOffset now, Theme theme) => new(
        agent.Name,
        [
            TerminalText.SanitizeLine(agent.Name),
            TerminalText.SanitizeLine(agent.TaskId ?? "-"),
            TerminalText.SanitizeLine(agent.Title),
            TerminalText.SanitizeLine(agent.Role),
            Activity(agent),
            Humanize.Uptime(now - agent.SpawnedAt),
            TerminalText.SanitizeLine(agent.LastTool ?? "-"),
            agent.Retries.ToString(CultureInfo.InvariantCulture),
            Tokens(agent),
            Cost(agent.Cost),
        ],
        Colour(agent, theme));

    public static string Tokens(AgentInfo agent) =>
        agent.InputTokens + agent.OutputTokens == 0 ? "-" : Humanize.Count(agent.InputTokens + agent.OutputTokens);

    public static string Cost(double cost) =>
        cost <= 0 ? "-" : "$" + cost.ToString(cost < 10 ? "0.00" : "0", CultureInfo.InvariantCulture);

    // Failed agents are red, hung agents and agents waiting for an answer yellow, so trouble stands out in a long list.
    public static Attribute? Colour(AgentInfo agent, Theme theme) => agent switch
    {
        { Activity: AgentActivity.Exited, ExitCode: not null and not 0 } => theme.Error,
        { Activity: AgentActivity.Hung or AgentActivity.WaitingForPermission or AgentActivity.Retrying or AgentActivity.BackingOff } => theme.Warning,
        { Activity: AgentActivity.Exited } => theme.Dim,
        _ => null,
    };
}
