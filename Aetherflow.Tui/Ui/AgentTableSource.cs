using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Presentation;
using Terminal.Gui.Views;

namespace Aetherflow.Tui.Ui;

/// <summary>Presents a snapshot's agents as table rows; all cell text is sanitised.</summary>
internal sealed class AgentTableSource : ITableSource
{
    private static readonly string[] Names = ["NAME", "TASK", "ROLE", "ACTIVITY", "UP", "TITLE", "LAST TOOL", "RETRY", "TOKENS"];

    /// <summary>The widest each column may grow; the last column takes whatever is left.</summary>
    public static readonly int[] MaxWidths = [18, 16, 7, 12, 6, 32, 28, 5, 8];
    private readonly string[][] cells;

    public AgentTableSource(IReadOnlyList<AgentInfo> agents, DateTimeOffset now)
    {
        Agents = agents;
        cells = agents.Select(a => Row(a, now)).ToArray();
    }

    public IReadOnlyList<AgentInfo> Agents { get; }

    public string[] ColumnNames => Names;

    public int Columns => Names.Length;

    public int Rows => cells.Length;

    public object this[int row, int col] => cells[row][col];

    /// <summary>The word shown in the ACTIVITY column.</summary>
    public static string ActivityText(AgentInfo agent) => agent.Activity switch
    {
        AgentActivity.WaitingForPermission => "permission",
        AgentActivity.BackingOff => "backoff",
        AgentActivity.Exited => agent.ExitCode is { } code ? $"exited {code}" : "exited",
        _ => agent.Activity.ToString().ToLowerInvariant(),
    };

    private static string[] Row(AgentInfo agent, DateTimeOffset now) =>
    [
        TerminalText.SanitizeLine(agent.Name),
        TerminalText.SanitizeLine(agent.TaskId ?? "-"),
        TerminalText.SanitizeLine(agent.Role),
        ActivityText(agent),
        Humanize.Uptime(now - agent.SpawnedAt),
        TerminalText.SanitizeLine(agent.Title),
        TerminalText.SanitizeLine(agent.LastTool ?? "-"),
        agent.Retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        agent.InputTokens + agent.OutputTokens == 0 ? "-" : Humanize.Count(agent.InputTokens + agent.OutputTokens),
    ];
}
