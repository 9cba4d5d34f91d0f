using Aetherflow.Engine.Api;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Tables;
using Aetherflow.Tui.Ui.Widgets;
using Microsoft.Extensions.Logging;
using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Views;

/// <summary>
/// One agent in detail: its meta data, every tool call (scrollable), its task's log entries and the task itself with
/// description and definition of done rendered from Markdown. The detail is fetched when the engine pushes new events
/// for the agent — at most once a second, because reading the task can start a tracker process.
/// </summary>
internal sealed class AgentPanelView : Screen
{
    private static readonly TimeSpan RefreshPause = TimeSpan.FromSeconds(1);
    private readonly ScreenContext context;
    private readonly View root;
    private readonly Pane metaPane;
    private readonly FieldGrid meta;
    private readonly Pane[] panes;
    private readonly RowTable tools;
    private readonly LinesView logs;
    private readonly LinesView task;
    private readonly TextFilter?[] filters = new TextFilter?[3];
    private readonly Refresher refresher;
    private AgentInfo agent;
    private bool gone;
    private AgentDetail? detail;
    private string? problem;
    private DateTimeOffset now;
    private int active;

    public AgentPanelView(ScreenContext context, AgentInfo agent)
    {
        this.context = context;
        this.agent = agent;
        Theme theme = context.Theme;
        meta = new FieldGrid(theme);
        metaPane = new Pane(theme, agent.Name, meta) { X = 0, Y = 0, Width = Dim.Fill() };
        metaPane.Height = Dim.Func(_ => meta.RowsFor(Math.Max(1, metaPane.Frame.Width - 2)) + 2);
        tools = new RowTable(theme, ToolCallRows.Columns) { EmptyText = "No tool calls yet" };
        logs = new LinesView(theme) { EmptyText = "No task log entries" };
        task = new LinesView(theme) { EmptyText = "Loading…" };
        var toolsPane = new Pane(theme, "Tool calls", tools) { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Percent(60) };
        var logsPane = new Pane(theme, "Task log", logs) { X = 0, Y = Pos.Bottom(toolsPane), Width = Dim.Fill(), Height = Dim.Fill() };
        var left = new View { X = 0, Y = Pos.Bottom(metaPane), Width = Dim.Percent(55), Height = Dim.Fill(), CanFocus = false };
        left.Add(toolsPane, logsPane);
        var taskPane = new Pane(theme, "Task", task) { X = Pos.Right(left), Y = Pos.Bottom(metaPane), Width = Dim.Fill(), Height = Dim.Fill() };
        panes = [toolsPane, logsPane, taskPane];
        root = new View { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
        root.Add(metaPane, left, taskPane);
        Activate(0);
        refresher = new Refresher(context.Loop, FetchAsync, RefreshPause, context.Logger);
        now = context.Clock.GetUtcNow();
        RenderMeta();
        refresher.Poke();
    }

    public override ViewScope Scope => ViewScope.Panel;

    public override View View => root;

    public override string Name => $"Agent {agent.Name}";

    public override ScreenRef Ref => new(ViewScope.Panel, agent.Name);

    public override AgentInfo? SelectedAgent => agent;

    public override TextFilter? Filter => filters[active];

    /// <summary>The meta box as text (tests).</summary>
    public string MetaText => meta.PlainText;

    public override void Render(EngineSnapshot snapshot, DateTimeOffset at)
    {
        now = at;
        AgentInfo? current = snapshot.Agents.LastOrDefault(a => a.Name == agent.Name);
        if (current is null)
        {
            gone = true;
        }
        else
        {
            bool changed = current.Activity != agent.Activity || current.LastTool != agent.LastTool || current.LastEventAt != agent.LastEventAt;
            agent = current;
            gone = false;
            if (changed)
            {
                refresher.Poke();
            }
        }

        RenderMeta();
        RenderTools();
    }

    public override void OnEventsAppended(IReadOnlyCollection<string> agents)
    {
        if (agents.Contains(agent.Name))
        {
            refresher.Poke();
        }
    }

    public override void Scroll(ActionId move)
    {
        if (active == 0)
        {
            Scroll(tools, move);
        }
        else
        {
            Scroll(active == 1 ? logs : task, move);
        }
    }

    public override bool CyclePane(int direction)
    {
        Activate((active + direction + panes.Length) % panes.Length);
        return true;
    }

    public override bool ApplyFilter(TextFilter? filter)
    {
        filters[active] = filter;
        RenderTools();
        RenderLogs();
        RenderTask();
        return true;
    }

    public override void Dispose()
    {
        refresher.Dispose();
        base.Dispose();
    }

    private void Activate(int pane)
    {
        active = pane;
        for (int i = 0; i < panes.Length; i++)
        {
            panes[i].Active = i == pane;
        }
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            AgentDetail fetched = await context.Engine.GetAgentAsync(agent.Name, cancellationToken).ConfigureAwait(false);
            context.Loop.Post(() => Apply(fetched, null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            context.Logger.LogDebug(ex, "Reading the detail of agent {Agent} failed", agent.Name);
            context.Loop.Post(() => Apply(detail, ex.Message));
        }
    }

    private void Apply(AgentDetail? fetched, string? error)
    {
        if (IsDisposed)
        {
            return;
        }

        detail = fetched;
        problem = error;
        if (fetched is not null)
        {
            agent = fetched.Agent;
        }

        RenderMeta();
        RenderTools();
        RenderLogs();
        RenderTask();
    }

    private void RenderMeta()
    {
        metaPane.Title = gone ? $"{agent.Name} (gone)" : agent.Name;
        meta.Set(AgentMeta.Fields(agent, now, context.Clock.LocalTimeZone, context.Theme), AgentMeta.Lines(agent, detail, problem, context.Theme));
        root.SetNeedsLayout();
    }

    private void RenderTools()
    {
        IReadOnlyList<ToolCallInfo> calls = detail?.ToolCalls ?? [];
        TextFilter? filter = filters[0];
        var rows = ToolCallRows.Rows(calls, now, context.Theme).Where(r => filter?.Keeps(r.Text) ?? true).ToList();
        tools.SetRows(rows);
        tools.Highlight = filter?.Highlight;
        tools.EmptyText = detail is null ? "Loading…" : filter is not null && calls.Count > 0 ? $"No tool call matches {filter}" : "No tool calls yet";
        panes[0].Title = Title("Tool calls", rows.Count, calls.Count, filter);
    }

    private void RenderLogs()
    {
        IReadOnlyList<TaskLogLine> entries = detail?.Task?.Logs ?? [];
        TextFilter? filter = filters[1];
        var lines = AgentMeta.TaskLog(entries, context.Clock.LocalTimeZone, context.Theme).Where(l => filter?.Keeps(l.Text) ?? true).ToList();
        logs.Highlight = filter?.Highlight;
        logs.SetLines(lines);
        logs.EmptyText = detail is null ? "Loading…" : detail.Task is null ? "No task log (the agent has no tracker task)" : filter is not null ? $"No entry matches {filter}" : "No task log entries";
        panes[1].Title = Title("Task log", lines.Count, entries.Count, filter);
    }

    private void RenderTask()
    {
        TextFilter? filter = filters[2];
        IReadOnlyList<StyledLine> all = detail is null ? [] : TaskText.Lines(agent, detail, context.Theme);
        var lines = all.Where(l => filter?.Keeps(l.Text) ?? true).ToList();
        task.Highlight = filter?.Highlight;
        task.SetLines(lines);
        task.EmptyText = detail is null ? problem ?? "Loading…" : $"Nothing matches {filter}";
        panes[2].Title = filter is null ? (detail?.Task is { } t ? $"Task {t.Id}" : "Task") : $"Task {filter}";
    }
}
