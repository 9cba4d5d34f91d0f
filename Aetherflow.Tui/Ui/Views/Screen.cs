using Aetherflow.Engine.Api;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Widgets;
using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Views;

/// <summary>
/// One view of the dashboard (k9s: one view per resource). It draws what the engine pushes, moves and filters on the
/// keys the controller hands it, and names the agent that agent actions apply to.
/// </summary>
internal abstract class Screen : IDisposable
{
    /// <summary>The keys that work here.</summary>
    public abstract ViewScope Scope { get; }

    /// <summary>The root view, laid out to fill the content area.</summary>
    public abstract View View { get; }

    /// <summary>How help and breadcrumbs name the view.</summary>
    public abstract string Name { get; }

    /// <summary>Where the navigation stands, for restoring it.</summary>
    public abstract ScreenRef Ref { get; }

    /// <summary>The agent that <c>x</c>, <c>s</c>, <c>a</c>, <c>l</c> and <c>enter</c> act on, if any.</summary>
    public virtual AgentInfo? SelectedAgent => null;

    /// <summary>Why there is no agent to act on (said in the flash line).</summary>
    public virtual string NoAgentReason => "no agent is selected";

    /// <summary>The filter of the pane the keys act on.</summary>
    public virtual TextFilter? Filter => null;

    /// <summary>Draws a new engine snapshot (UI thread).</summary>
    public virtual void Render(EngineSnapshot snapshot, DateTimeOffset now)
    {
    }

    /// <summary>New events were recorded for these agents (UI thread, coalesced).</summary>
    public virtual void OnEventsAppended(IReadOnlyCollection<string> agents)
    {
    }

    /// <summary>Moves the cursor or scrolls: <see cref="ActionId.Down"/>, <see cref="ActionId.Up"/>, pages, top, bottom.</summary>
    public abstract void Scroll(ActionId move);

    /// <summary>Moves to the next (+1) or previous (-1) pane; false when there is only one.</summary>
    public virtual bool CyclePane(int direction) => false;

    /// <summary>Filters the pane the keys act on (null clears); false when this view has nothing to filter.</summary>
    public virtual bool ApplyFilter(TextFilter? filter) => false;

    /// <summary>True once the view was closed; results of fetches still in flight are then dropped.</summary>
    protected bool IsDisposed { get; private set; }

    public virtual void Dispose()
    {
        IsDisposed = true;
        View.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Applies a scroll action to a table.</summary>
    protected static void Scroll(RowTable table, ActionId move)
    {
        switch (move)
        {
            case ActionId.Down: table.Move(1); break;
            case ActionId.Up: table.Move(-1); break;
            case ActionId.PageDown: table.Page(1); break;
            case ActionId.PageUp: table.Page(-1); break;
            case ActionId.Top: table.Top(); break;
            case ActionId.Bottom: table.Bottom(); break;
        }
    }

    /// <summary>Applies a scroll action to text.</summary>
    protected static void Scroll(LinesView lines, ActionId move)
    {
        switch (move)
        {
            case ActionId.Down: lines.ScrollBy(1); break;
            case ActionId.Up: lines.ScrollBy(-1); break;
            case ActionId.PageDown: lines.Page(1); break;
            case ActionId.PageUp: lines.Page(-1); break;
            case ActionId.Top: lines.ScrollToTop(); break;
            case ActionId.Bottom: lines.Bottom(andFollow: lines.Follow); break;
        }
    }

    /// <summary>A pane title with a count and the filter, e.g. <c>Agents (2/4) /wolf</c>.</summary>
    protected static string Title(string name, int shown, int total, TextFilter? filter) =>
        filter is null ? $"{name} ({total})" : $"{name} ({shown}/{total}) {filter}";
}
