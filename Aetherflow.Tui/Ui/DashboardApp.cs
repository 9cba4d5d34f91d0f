using Aetherflow.Engine.Api;
using Aetherflow.Tui.Ui.Shell;
using Terminal.Gui.App;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// Connects an engine to the dashboard on a Terminal.Gui application. Engine changes are pushed, never polled: each
/// change notification (snapshot or new agent events) schedules one redraw on the UI thread, and notifications that
/// arrive before that redraw runs are folded into it, so the screen redraws at most about 20 times a second however
/// busy the swarm is. The one timer is the clock tick that ages uptimes; it reads no engine state.
/// </summary>
internal sealed class DashboardApp : IDisposable
{
    private static readonly TimeSpan RedrawDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ClockTick = TimeSpan.FromSeconds(1);
    private readonly IApplication app;
    private readonly IEngine engine;
    private readonly TimeProvider clock;
    private readonly IDisposable clockTimer;
    private readonly object pendingLock = new();
    private HashSet<string> pendingEvents = new(StringComparer.Ordinal);
    private int redrawScheduled;

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

    private void OnEventsAppended(object? sender, AgentEventsAppended appended)
    {
        lock (pendingLock)
        {
            pendingEvents.Add(appended.Agent);
        }

        ScheduleRedraw();
    }

    private void ScheduleRedraw()
    {
        if (Interlocked.Exchange(ref redrawScheduled, 1) == 0)
        {
            app.Invoke(() => app.AddTimeout(RedrawDelay, Redraw));
        }
    }

    private bool Redraw()
    {
        Volatile.Write(ref redrawScheduled, 0);
        HashSet<string> agents;
        lock (pendingLock)
        {
            agents = pendingEvents;
            pendingEvents = new HashSet<string>(StringComparer.Ordinal);
        }

        Controller.Render(engine.Snapshot, clock.GetUtcNow());
        if (agents.Count > 0)
        {
            Controller.OnEventsAppended(agents);
        }

        return false;
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
