using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Text;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// The main screen: a header (project, engine, pool, mode), the agent table, the queue, a flash line and the key hints.
/// It only draws what it is given: <see cref="Render"/> takes an engine snapshot and the current time.
/// </summary>
internal sealed class DashboardScreen : Window
{
    private const int QueueHeight = 7;
    private readonly Theme theme;
    private readonly string engineLabel;
    private readonly SegmentLine header = new() { X = 0, Y = 0 };
    private readonly FrameView agentsPane;
    private readonly TableView agentTable;
    private readonly Label agentsEmpty;
    private readonly FrameView queuePane;
    private readonly TableView queueTable;
    private readonly Label queueEmpty;
    private readonly SegmentLine flash = new() { X = 0 };
    private readonly SegmentLine footer = new() { X = 0 };
    private EngineSnapshot? snapshot;

    public DashboardScreen(Theme theme, string engineLabel)
    {
        this.theme = theme;
        this.engineLabel = engineLabel;
        BorderStyle = LineStyle.None;
        SetScheme(theme.Base);

        agentTable = CreateTable();
        for (int column = 0; column < AgentTableSource.MaxWidths.Length; column++)
        {
            agentTable.Style.GetOrCreateColumnStyle(column).MaxWidth = AgentTableSource.MaxWidths[column];
        }

        agentTable.Style.RowColorGetter = args => RowScheme(args.RowIndex);
        agentsEmpty = CreateMessage();
        agentsEmpty.X = Pos.Center();
        agentsEmpty.Y = Pos.Center();
        agentsPane = CreatePane("Agents", agentTable, agentsEmpty);
        agentsPane.Y = 1;
        agentsPane.Height = Dim.Fill(QueueHeight + 2);

        queueTable = CreateTable();
        queueEmpty = CreateMessage();
        queueEmpty.X = 1;
        queuePane = CreatePane("Queue", queueTable, queueEmpty);
        queuePane.Y = Pos.Bottom(agentsPane);
        queuePane.Height = QueueHeight;

        flash.Y = Pos.AnchorEnd(2);
        footer.Y = Pos.AnchorEnd(1);
        Add(header, agentsPane, queuePane, flash, footer);
        footer.Segments = Hints();
        KeyDown += OnKeyDown;
    }

    /// <summary>Raised when the user asks to quit (q, esc, ctrl+c).</summary>
    public event EventHandler? QuitRequested;

    /// <summary>The agent under the cursor, if any.</summary>
    public AgentInfo? SelectedAgent =>
        agentTable.Table is AgentTableSource source && source.Rows > 0 && agentTable.Value?.SelectedCell.Y is int row && row < source.Rows
            ? source.Agents[row]
            : null;

    /// <summary>The text on the flash line.</summary>
    public string FlashText => flash.PlainText;

    /// <summary>Shows a transient confirmation or error under the panes.</summary>
    public void Flash(string message, bool error = false) =>
        flash.Segments = [new Segment(" " + TerminalText.SanitizeLine(message), error ? theme.Error : theme.Good)];

    /// <summary>Redraws every pane from <paramref name="next"/>, keeping the cursor on the same agent.</summary>
    public void Render(EngineSnapshot next, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(next);
        string? selected = SelectedAgent?.Name;
        snapshot = next;
        header.Segments = HeaderSegments(next);
        RenderAgents(next, now, selected);
        RenderQueue(next);
    }

    private void RenderAgents(EngineSnapshot next, DateTimeOffset now, string? selected)
    {
        var source = new AgentTableSource(next.Agents, now);
        agentTable.Table = source;
        agentsPane.Title = $"Agents ({next.Agents.Count})";
        int idle = Math.Max(0, next.PoolSize - next.RunningPoolAgents);
        bool empty = next.Agents.Count == 0;
        agentTable.Visible = !empty;
        agentsEmpty.Visible = empty;
        agentsEmpty.Text = $"No agents running — {idle} {(idle == 1 ? "slot" : "slots")} idle";
        if (!empty)
        {
            int row = selected is null ? 0 : Math.Max(0, next.Agents.ToList().FindIndex(a => a.Name == selected));
            agentTable.Value = new TableSelection(new System.Drawing.Point(0, Math.Min(row, source.Rows - 1)));
            agentTable.Update();
        }
    }

    private void RenderQueue(EngineSnapshot next)
    {
        queueTable.Table = new QueueTableSource(next.Queue);
        queuePane.Title = $"Queue ({next.Queue.Count})";
        bool empty = next.Queue.Count == 0;
        queueTable.Visible = !empty;
        queueEmpty.Visible = empty;
        queueEmpty.Text = next.SpawnPolicy == SpawnPolicy.Manual
            ? "Manual policy: tasks are not taken from the tracker (spawn_policy: auto turns that on)."
            : "No ready tasks.";
        if (!empty)
        {
            queueTable.Update();
        }
    }

    private List<Segment> HeaderSegments(EngineSnapshot s)
    {
        var segments = new List<Segment>
        {
            new(" aetherflow ", theme.Title),
            new(" " + TerminalText.SanitizeLine(s.Project) + " ", theme.Accent),
            new(" " + engineLabel + " ", theme.Dim),
            new(string.Create(CultureInfo.InvariantCulture, $" pool {s.RunningPoolAgents}/{s.PoolSize} "), theme.Normal),
            ModeBadge(s.Mode),
            new(string.Create(CultureInfo.InvariantCulture, $"  running {s.Agents.Count(a => a.Activity != AgentActivity.Exited)}  queued {s.Queue.Count}  failed {s.FailedAgents}"), theme.Normal),
        };
        if (s.SpawnPolicy == SpawnPolicy.Manual)
        {
            segments.Add(new Segment("  [manual]", theme.Dim));
        }

        return segments;
    }

    private Segment ModeBadge(PoolMode mode) => mode switch
    {
        PoolMode.Draining => new Segment("[draining]", theme.Warning),
        PoolMode.Paused => new Segment("[paused]", theme.Error),
        _ => new Segment("[active]", theme.Good),
    };

    private List<Segment> Hints()
    {
        var segments = new List<Segment>();
        foreach ((string key, string action) in new[] { ("j/k", "move"), ("tab", "pane"), ("q", "quit") })
        {
            segments.Add(new Segment(" <" + key + ">", theme.Key));
            segments.Add(new Segment(" " + action + " ", theme.Dim));
        }

        return segments;
    }

    private void OnKeyDown(object? sender, Key key)
    {
        if (key == Key.Q || key == Key.Esc || key == Key.C.WithCtrl)
        {
            key.Handled = true;
            QuitRequested?.Invoke(this, EventArgs.Empty);
        }
        else if (key == Key.Tab || key == Key.Tab.WithShift)
        {
            key.Handled = true;
            (agentsPane.HasFocus ? queuePane : agentsPane).SetFocus();
        }
    }

    // Failed agents are red and hung ones yellow, so trouble stands out in a long list.
    private Scheme? RowScheme(int row)
    {
        if (agentTable.Table is not AgentTableSource source || row >= source.Rows)
        {
            return null;
        }

        AgentInfo agent = source.Agents[row];
        return agent switch
        {
            { Activity: AgentActivity.Exited, ExitCode: not null and not 0 } => new Scheme(theme.Base) { Normal = theme.Error },
            { Activity: AgentActivity.Hung or AgentActivity.WaitingForPermission } => new Scheme(theme.Base) { Normal = theme.Warning },
            _ => null,
        };
    }

    // Labels show data, never hotkeys: an underscore in a task title must stay an underscore.
    private static Label CreateMessage() => new() { Text = string.Empty, HotKeySpecifier = new System.Text.Rune(0xFFFF) };

    private TableView CreateTable()
    {
        var table = new TableView
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = Dim.Fill(),
            FullRowSelect = true,
            CollectionNavigator = null,
        };
        table.Style.ShowHorizontalHeaderOverline = false;
        table.Style.ShowHorizontalBottomLine = false;
        table.Style.ShowVerticalCellLines = false;
        table.Style.ShowVerticalHeaderLines = false;
        table.Style.ExpandLastColumn = true;
        table.KeyBindings.Add(Key.J, Command.Down);
        table.KeyBindings.Add(Key.K, Command.Up);
        table.SetScheme(theme.Base);
        return table;
    }

    private FrameView CreatePane(string title, TableView table, Label empty)
    {
        var pane = new FrameView
        {
            Title = title,
            X = 0,
            Width = Dim.Fill(),
            TabStop = TabBehavior.TabStop,
            CanFocus = true,
        };
        pane.SetScheme(theme.Frame);
        pane.Add(table, empty);
        return pane;
    }
}
