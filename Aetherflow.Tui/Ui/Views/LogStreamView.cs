using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Tables;
using Aetherflow.Tui.Ui.Widgets;
using Microsoft.Extensions.Logging;
using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Views;

/// <summary>
/// One agent's event stream, full screen. It reads the events by sequence cursor when the engine says new ones were
/// recorded, follows the newest (<c>[follow]</c>) until the user scrolls up, and <c>G</c> follows again. The filter
/// keeps matching lines and highlights the matches.
/// </summary>
internal sealed class LogStreamView : Screen
{
    private const int PageSize = 500;
    private const int MaxEvents = 20_000;
    private readonly ScreenContext context;
    private readonly View root;
    private readonly SegmentLine info = new() { X = 0, Y = 0 };
    private readonly Pane pane;
    private readonly LinesView lines;
    private readonly List<EventLine> events = [];
    private readonly Refresher refresher;
    private AgentInfo agent;
    private TextFilter? filter;
    private long cursor;
    private bool fellBehind;
    private string? problem;

    public LogStreamView(ScreenContext context, AgentInfo agent)
    {
        this.context = context;
        this.agent = agent;
        lines = new LinesView(context.Theme) { MaxLines = MaxEvents * 2, EmptyText = "Loading…", Follow = true };
        pane = new Pane(context.Theme, "Log", lines) { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill() };
        pane.Active = true;
        root = new View { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
        root.Add(info, pane);
        lines.Scrolled += (_, _) => RenderInfo();
        // A busy agent's events are read (and drawn) at most once a frame.
        refresher = new Refresher(context.Loop, FetchAsync, DashboardApp.MinRedrawInterval, context.Logger);
        RenderInfo();
        refresher.Poke();
    }

    public override ViewScope Scope => ViewScope.Log;

    public override View View => root;

    public override string Name => $"Log {agent.Name}";

    public override ScreenRef Ref => new(ViewScope.Log, agent.Name);

    public override AgentInfo? SelectedAgent => agent;

    public override TextFilter? Filter => filter;

    /// <summary>True while new events scroll into view.</summary>
    public bool Following => lines.Follow;

    public override void Render(EngineSnapshot snapshot, DateTimeOffset now)
    {
        if (snapshot.Agents.LastOrDefault(a => a.Name == agent.Name) is { } current)
        {
            agent = current;
        }

        RenderInfo();
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
        if (move == ActionId.Bottom)
        {
            lines.Bottom(andFollow: true);
        }
        else
        {
            Scroll(lines, move);
        }
    }

    public override bool ApplyFilter(TextFilter? next)
    {
        filter = next;
        lines.Highlight = next?.Highlight;
        lines.SetLines(Styled(events));
        RenderInfo();
        return true;
    }

    public override void Dispose()
    {
        refresher.Dispose();
        base.Dispose();
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        var read = new List<EventLine>();
        bool behind = false;
        try
        {
            EventPage page;
            do
            {
                page = await context.Engine.ReadEventsAsync(agent.Name, cursor, PageSize, raw: false, cancellationToken).ConfigureAwait(false);
                read.AddRange(page.Events);
                behind |= page.FellBehind;
                cursor = Math.Max(cursor, page.NextCursor);
            }
            while (page.HasMore && page.Events.Count > 0);

            context.Loop.Post(() => Apply(read, behind, null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            context.Logger.LogDebug(ex, "Reading the events of agent {Agent} failed", agent.Name);
            context.Loop.Post(() => Apply(read, behind, ex.Message));
        }
    }

    private void Apply(List<EventLine> read, bool behind, string? error)
    {
        if (IsDisposed)
        {
            return;
        }

        problem = error;
        fellBehind |= behind;
        events.AddRange(read);
        if (events.Count > MaxEvents)
        {
            events.RemoveRange(0, events.Count - MaxEvents);
        }

        lines.Append(Styled(read).ToList());
        lines.EmptyText = problem is not null ? "could not read the events: " + TerminalText.SanitizeLine(problem)
            : filter is not null && events.Count > 0 ? $"No event matches {filter}"
            : agent.SessionId is null ? "No events: this agent has no opencode session" : "No events yet";
        RenderInfo();
    }

    private IEnumerable<StyledLine> Styled(IEnumerable<EventLine> source) =>
        source.Where(e => filter?.Keeps(EventLines.Text(e)) ?? true).SelectMany(e => EventLines.Format(e, context.Clock.LocalTimeZone, context.Theme));

    private void RenderInfo()
    {
        Theme theme = context.Theme;
        var segments = new List<Segment>
        {
            new(" " + TerminalText.SanitizeLine(agent.Name), theme.Accent),
            new("  " + TerminalText.SanitizeLine(agent.TaskId ?? "-"), theme.Normal),
            new("  " + AgentRows.Activity(agent), AgentRows.Colour(agent, theme) ?? theme.Good),
            new(lines.Follow ? "  [follow]" : "  (G follows)", lines.Follow ? theme.Good : theme.Dim),
            new(string.Create(CultureInfo.InvariantCulture, $"  {events.Count} events  {lines.Percent}%"), theme.Dim),
        };
        if (fellBehind)
        {
            segments.Add(new Segment("  older events were dropped from memory", theme.Warning));
        }

        info.Segments = segments;
        pane.Title = filter is null ? $"Log {agent.Name}" : $"Log {agent.Name} {filter}";
    }
}
