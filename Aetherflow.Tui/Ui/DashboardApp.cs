using Aetherflow.Engine.Api;
using Terminal.Gui.App;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// Connects an engine to the dashboard screen on a Terminal.Gui application. Engine changes are pushed, never polled:
/// each change notification schedules one redraw on the UI thread, and notifications that arrive before that redraw
/// runs are folded into it, so the screen redraws at most about 20 times a second however busy the swarm is.
/// </summary>
internal sealed class DashboardApp : IDisposable
{
    private static readonly TimeSpan RedrawDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ClockTick = TimeSpan.FromSeconds(1);
    private readonly IApplication app;
    private readonly IEngine engine;
    private readonly TimeProvider clock;
    private object? clockTimer;
    private int redrawScheduled;

    public DashboardApp(IApplication app, IEngine engine, Theme theme, TimeProvider clock, string engineLabel)
    {
        this.app = app;
        this.engine = engine;
        this.clock = clock;
        Screen = new DashboardScreen(theme, engineLabel);
        Screen.QuitRequested += (_, _) => app.RequestStop();
        Screen.Render(engine.Snapshot, clock.GetUtcNow());
        engine.SnapshotChanged += OnSnapshotChanged;
        clockTimer = app.AddTimeout(ClockTick, OnClockTick);
    }

    public DashboardScreen Screen { get; }

    /// <summary>Runs the dashboard until the user quits or <paramref name="cancellationToken"/> fires (SIGTERM).</summary>
    public void Run(CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration stop = cancellationToken.Register(() => app.Invoke(() => app.RequestStop()));
        app.Run(Screen);
    }

    public void Dispose()
    {
        engine.SnapshotChanged -= OnSnapshotChanged;
        if (clockTimer is not null)
        {
            app.RemoveTimeout(clockTimer);
            clockTimer = null;
        }

        Screen.Dispose();
    }

    private void OnSnapshotChanged(object? sender, EngineSnapshot snapshot)
    {
        if (Interlocked.Exchange(ref redrawScheduled, 1) == 0)
        {
            app.Invoke(() => app.AddTimeout(RedrawDelay, Redraw));
        }
    }

    private bool Redraw()
    {
        Volatile.Write(ref redrawScheduled, 0);
        Screen.Render(engine.Snapshot, clock.GetUtcNow());
        return false;
    }

    // Uptimes move with the clock even when nothing happens; only redraw when there is an agent to age.
    private bool OnClockTick()
    {
        if (engine.Snapshot.Agents.Count > 0)
        {
            Screen.Render(engine.Snapshot, clock.GetUtcNow());
        }

        return true;
    }
}
