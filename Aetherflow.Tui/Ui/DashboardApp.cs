using Aetherflow.Engine.Api;
using Aetherflow.Tui.Ui.Shell;
using Terminal.Gui.App;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// Connects an engine to the dashboard on a Terminal.Gui application. Engine changes are pushed, never polled. A
/// snapshot change after a quiet moment is drawn at once (the UI loop wakes for it, see Loop/LoopPacer); changes that
/// arrive within <see cref="MinRedrawInterval"/> of a redraw are folded into one more redraw when that interval ends
/// (leading and trailing edge), so a change is on screen within about one interval plus a loop iteration, and the
/// screen redraws at most about 60 times a second however busy the swarm is (docs/benchmarks.md measures both). New
/// events go to the views at once, folded while one delivery is pending: a view that shows events reads them and draws
/// what it read, at a pace its own refresher bounds. The one timer of its own is the clock tick that ages uptimes; it
/// reads no engine state.
/// </summary>
internal sealed class DashboardApp : IDisposable
{
    /// <summary>
    /// The least time between two redraws caused by snapshot changes, and between two reads of a watched agent's new
    /// events: one frame at 60 frames a second, so a change waits at most this long behind the previous one.
    /// </summary>
    internal static readonly TimeSpan MinRedrawInterval = TimeSpan.FromMilliseconds(16);
    private static readonly TimeSpan ClockTick = TimeSpan.FromSeconds(1);
    private readonly IApplication app;
    private readonly IEngine engine;
    private readonly TimeProvider clock;
    private readonly IDisposable clockTimer;
    private readonly object pendingLock = new();
    private HashSet<string> pendingEvents = new(StringComparer.Ordinal);
    private bool eventsPosted;
    private int throttling;
    private int dirty;

    public DashboardApp(IApplication app, IEngine engine, Theme theme, TimeProvider clock, DashboardOptions options, DashboardState? state = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        this.app = app;
        this.engine = engine;
        this.clock = clock;
        State = state ?? new DashboardState();
        var loop = new UiLoop(app);
        Shell = new DashboardShell(theme);
        var context = new ScreenContext(engine, theme, loop, clock, (_, _) => { }, options.Logger);
        Controller = new DashboardController(engine, Shell, context, options, State);
        Controller.StopRequested += (_, _) =>
        {
            QuitRequested?.Invoke(this, EventArgs.Empty);
            app.RequestStop();
        };
        engine.SnapshotChanged += OnSnapshotChanged;
        engine.EventsAppended += OnEventsAppended;
        app.Keyboard.KeyDown += OnKeyDown;
        app.Paste += OnPaste;
        clockTimer = loop.Every(ClockTick, OnClockTick);
    }

    /// <summary>Raised when the dashboard closes itself (quit or attach).</summary>
    public event EventHandler? QuitRequested;

    public DashboardShell Shell { get; }

    public DashboardController Controller { get; }

    /// <summary>What survives a restart of the UI (after an attach).</summary>
    public DashboardState State { get; }

    /// <summary>Runs the dashboard until the user quits or <paramref name="cancellationToken"/> fires (SIGTERM).</summary>
    public void Run(CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration stop = cancellationToken.Register(() => app.Invoke(() => app.RequestStop()));
        app.Run(Shell);
    }

    public void Dispose()
    {
        engine.SnapshotChanged -= OnSnapshotChanged;
        engine.EventsAppended -= OnEventsAppended;
        app.Keyboard.KeyDown -= OnKeyDown;
        app.Paste -= OnPaste;
        clockTimer.Dispose();
        Controller.Dispose();
        Shell.Dispose();
    }

    private void OnKeyDown(object? sender, Key key)
    {
        if (Controller.HandleKey(key))
        {
            key.Handled = true;
        }
    }

    private void OnPaste(object? sender, PasteEventArgs e)
    {
        if (Controller.OpenPrompt is not null)
        {
            Controller.Paste(e.Text);
            e.Handled = true;
        }
    }

    private void OnSnapshotChanged(object? sender, EngineSnapshot snapshot) => ScheduleRedraw();

    // Events change no snapshot: the views that show them only need to know whose events came, and read them at once.
    private void OnEventsAppended(object? sender, AgentEventsAppended appended)
    {
        lock (pendingLock)
        {
            pendingEvents.Add(appended.Agent);
            if (eventsPosted)
            {
                return;
            }

            eventsPosted = true;
        }

        app.Invoke(DeliverEvents);
    }

    private void DeliverEvents()
    {
        HashSet<string> agents;
        lock (pendingLock)
        {
            agents = pendingEvents;
            pendingEvents = new HashSet<string>(StringComparer.Ordinal);
            eventsPosted = false;
        }

        Controller.OnEventsAppended(agents);
    }

    // Leading edge: a change after a quiet moment is drawn at once. Trailing edge: changes during the interval after a
    // redraw mark the screen dirty, and the interval's end draws them. No clock is read: the interval is a UI timer.
    private void ScheduleRedraw()
    {
        Volatile.Write(ref dirty, 1);
        if (Interlocked.CompareExchange(ref throttling, 1, 0) == 0)
        {
            app.Invoke(RedrawNow);
        }
    }

    private void RedrawNow()
    {
        Volatile.Write(ref dirty, 0);
        Redraw();
        app.AddTimeout(MinRedrawInterval, EndOfInterval);
    }

    // Returning true keeps the timer: another interval follows the redraw it just made.
    private bool EndOfInterval()
    {
        if (Interlocked.Exchange(ref dirty, 0) == 1)
        {
            Redraw();
            return true;
        }

        Volatile.Write(ref throttling, 0);

        // A change that came between the check above and the reset found the throttle busy and left it to us.
        if (Volatile.Read(ref dirty) == 1 && Interlocked.CompareExchange(ref throttling, 1, 0) == 0)
        {
            app.Invoke(RedrawNow);
        }

        return false;
    }

    // Draws now rather than on the loop's next iteration: Terminal.Gui draws before it runs timers and invoked actions,
    // so a change made here would otherwise wait for the next turn to reach the screen.
    private void Redraw()
    {
        Controller.Render(engine.Snapshot, clock.GetUtcNow());
        app.LayoutAndDraw();
    }

    // Uptimes move with the clock even when nothing happens; only redraw when there is an agent to age.
    private bool OnClockTick()
    {
        if (engine.Snapshot.Agents.Count > 0)
        {
            Controller.Render(engine.Snapshot, clock.GetUtcNow());
        }

        return true;
    }
}
