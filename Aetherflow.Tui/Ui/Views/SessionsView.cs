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
/// The project's opencode sessions from the session registry (<c>:sessions</c>). The list is read when the view opens
/// and again when the set of agents changes (a session starts or ends) — pushed, never polled.
/// </summary>
internal sealed class SessionsView : Screen
{
    private static readonly TimeSpan RefreshPause = TimeSpan.FromSeconds(2);
    private readonly ScreenContext context;
    private readonly Pane pane;
    private readonly RowTable table;
    private readonly Refresher refresher;
    private IReadOnlyList<SessionInfo> sessions = [];
    private EngineSnapshot? snapshot;
    private DateTimeOffset now;
    private TextFilter? filter;
    private string? problem;
    private bool loaded;
    private string agentsSeen = string.Empty;

    public SessionsView(ScreenContext context)
    {
        this.context = context;
        table = new RowTable(context.Theme, SessionRows.Columns) { EmptyText = "Loading…" };
        pane = new Pane(context.Theme, "Sessions", table) { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        pane.Active = true;
        refresher = new Refresher(context.Loop, FetchAsync, RefreshPause, context.Logger);
        now = context.Clock.GetUtcNow();
        refresher.Poke();
    }

    public override ViewScope Scope => ViewScope.Sessions;

    public override View View => pane;

    public override string Name => "Sessions";

    public override ScreenRef Ref => new(ViewScope.Sessions);

    public override TextFilter? Filter => filter;

    /// <summary>The session under the cursor.</summary>
    public SessionInfo? SelectedSession => table.Selected is { } row ? sessions.FirstOrDefault(s => s.SessionId == row.Key) : null;

    /// <summary>The current agent running in the selected session, if one does.</summary>
    public override AgentInfo? SelectedAgent =>
        SelectedSession is { } session ? snapshot?.Agents.LastOrDefault(a => a.SessionId == session.SessionId) : null;

    public override string NoAgentReason => SelectedSession is { } session
        ? $"no current agent runs in session {TerminalText.SanitizeLine(session.SessionId)} (it is {session.Status}); 'a' attaches to the session itself"
        : "no session is selected";

    public override void Render(EngineSnapshot next, DateTimeOffset at)
    {
        snapshot = next;
        now = at;
        string agents = string.Join(',', next.Agents.Select(a => a.Name + ":" + a.SessionId + ":" + (a.Activity == AgentActivity.Exited)));
        if (agents != agentsSeen)
        {
            agentsSeen = agents;
            refresher.Poke();
        }

        Draw();
    }

    public override void Scroll(ActionId move) => Scroll(table, move);

    public override bool ApplyFilter(TextFilter? next)
    {
        filter = next;
        Draw();
        return true;
    }

    public override void Dispose()
    {
        refresher.Dispose();
        base.Dispose();
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<SessionInfo> listed = await context.Engine.ListSessionsAsync(cancellationToken).ConfigureAwait(false);
            context.Loop.Post(() => Apply(listed, null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            context.Logger.LogDebug(ex, "Listing sessions failed");
            context.Loop.Post(() => Apply(sessions, ex.Message));
        }
    }

    private void Apply(IReadOnlyList<SessionInfo> listed, string? error)
    {
        if (IsDisposed)
        {
            return;
        }

        loaded = true;
        sessions = listed;
        problem = error;
        Draw();
    }

    private void Draw()
    {
        var rows = sessions.Select(s => SessionRows.Row(s, now, context.Theme)).Where(r => filter?.Keeps(r.Text) ?? true).ToList();
        table.SetRows(rows);
        table.Highlight = filter?.Highlight;
        table.EmptyText = !loaded ? "Loading…"
            : problem is not null ? "Sessions are not available: " + TerminalText.SanitizeLine(problem)
            : filter is not null && sessions.Count > 0 ? $"No session matches {filter}"
            : "No sessions recorded for this project yet";
        pane.Title = Title("Sessions", rows.Count, sessions.Count, filter);
    }
}
