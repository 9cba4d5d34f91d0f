using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Startup;
using Aetherflow.Tui.Ui.Tables;
using Aetherflow.Tui.Ui.Widgets;
using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Views;

/// <summary>The main view: every agent (pool and spawned) and the queue of ready tasks; tab switches between them.</summary>
internal sealed class DashboardView : Screen
{
    private const int QueueHeight = 7;
    private readonly View root;
    private readonly Pane[] panes;
    private readonly RowTable agents;
    private readonly RowTable queue;
    private readonly TextFilter?[] filters = new TextFilter?[2];
    private EngineSnapshot? snapshot;
    private DateTimeOffset now;
    private int active;
    private string? selectWhenShown;

    public DashboardView(ScreenContext context)
    {
        agents = new RowTable(context.Theme, AgentRows.Columns);
        queue = new RowTable(context.Theme, QueueRows.Columns);
        var agentsPane = new Pane(context.Theme, "Agents", agents) { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(QueueHeight) };
        var queuePane = new Pane(context.Theme, "Queue", queue) { X = 0, Y = Pos.AnchorEnd(QueueHeight), Width = Dim.Fill(), Height = QueueHeight };
        panes = [agentsPane, queuePane];
        root = new View { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
        root.Add(agentsPane, queuePane);
        Theme = context.Theme;
        agentsPane.Active = true;
    }

    public override ViewScope Scope => ViewScope.Dashboard;

    public override View View => root;

    public override string Name => "Dashboard";

    public override ScreenRef Ref => new(ViewScope.Dashboard);

    /// <summary>True while the queue pane is the one the keys act on.</summary>
    public bool QueueActive => active == 1;

    public override AgentInfo? SelectedAgent =>
        active == 0 && agents.Selected is { } row ? snapshot?.Agents.LastOrDefault(a => a.Name == row.Key) : null;

    /// <summary>The queued task under the cursor, when the queue pane is active.</summary>
    public QueuedTask? SelectedTask =>
        active == 1 && queue.Selected is { } row ? snapshot?.Queue.FirstOrDefault(t => t.Id == row.Key) : null;

    public override string NoAgentReason => active == 1
        ? "the queue holds tasks, not agents: tab to the Agents pane"
        : "no agent is selected (none is running)";

    public override TextFilter? Filter => filters[active];

    private Theme Theme { get; }

    public override void Render(EngineSnapshot next, DateTimeOffset at)
    {
        snapshot = next;
        now = at;
        RenderAgents(next);
        RenderQueue(next);
    }

    public override void Scroll(ActionId move) => Scroll(active == 0 ? agents : queue, move);

    public override bool CyclePane(int direction)
    {
        Activate((active + direction + panes.Length) % panes.Length);
        return true;
    }

    public override bool ApplyFilter(TextFilter? filter)
    {
        filters[active] = filter;
        if (snapshot is { } current)
        {
            Render(current, now);
        }

        return true;
    }

    /// <summary>Makes the agents (0) or queue (1) pane the one the keys act on.</summary>
    public void Activate(int pane)
    {
        active = pane;
        for (int i = 0; i < panes.Length; i++)
        {
            panes[i].Active = i == pane;
        }
    }

    /// <summary>Puts the cursor on an agent (after a spawn), clearing a filter that hides it; an agent the table does not show yet is selected when it appears.</summary>
    public void SelectAgent(string name)
    {
        Activate(0);
        if (agents.Select(name))
        {
            return;
        }

        if (filters[0] is not null)
        {
            ApplyFilter(null);
        }

        selectWhenShown = agents.Select(name) ? null : name;
    }

    private void RenderAgents(EngineSnapshot next)
    {
        TextFilter? filter = filters[0];
        var rows = next.Agents.Select(a => AgentRows.Row(a, now, Theme)).Where(r => filter?.Keeps(r.Text) ?? true).ToList();
        agents.SetRows(rows);
        if (selectWhenShown is { } wanted && agents.Select(wanted))
        {
            selectWhenShown = null;
        }

        agents.Highlight = filter?.Highlight;
        SetTitle(panes[0], Title("Agents", rows.Count, next.Agents.Count, filter));
        int idle = Math.Max(0, next.PoolSize - next.RunningPoolAgents);
        agents.EmptyText = StartingEngine.IsStandIn(next) ? next.Warnings[0]
            : filter is not null && next.Agents.Count > 0
            ? $"No agent matches {filter} (esc clears the filter)"
            : $"No agents running — {idle} {(idle == 1 ? "slot" : "slots")} idle";
    }

    private void RenderQueue(EngineSnapshot next)
    {
        TextFilter? filter = filters[1];
        var rows = next.Queue.Select(QueueRows.Row).Where(r => filter?.Keeps(r.Text) ?? true).ToList();
        queue.SetRows(rows);
        queue.Highlight = filter?.Highlight;
        SetTitle(panes[1], Title("Queue", rows.Count, next.Queue.Count, filter));
        queue.EmptyText = StartingEngine.IsStandIn(next) ? string.Empty
            : filter is not null && next.Queue.Count > 0 ? $"No task matches {filter}"
            : next.SpawnPolicy == SpawnPolicy.Manual ? "Manual policy: tasks are not taken from the tracker (spawn_policy: auto turns that on)."
            : "No ready tasks.";
    }

    // A title set to what it already is would still redraw the pane.
    private static void SetTitle(View pane, string title)
    {
        if (pane.Title != title)
        {
            pane.Title = title;
        }
    }
}
