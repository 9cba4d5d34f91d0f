using System.Runtime.InteropServices;
using Terminal.Gui.App;
using Terminal.Gui.Time;

namespace Aetherflow.Tui.Ui.Loop;

/// <summary>
/// Paces Terminal.Gui's main loop by events instead of a fixed rate. Terminal.Gui 2.5 turns its loop 25 times a second
/// and sleeps between turns in <c>Task.Delay(…).Wait()</c>, which spins before it sleeps and cannot be woken: work posted
/// from another thread (<see cref="IApplication.Invoke(Action)"/>) waits up to 40 ms, and an idle dashboard burns about
/// 2% of a core. Here Terminal.Gui's own wait is switched off (<see cref="Application.MaximumIterationsPerSecond"/> at its
/// maximum) and each turn begins by sleeping on a <see cref="WakeSignal"/> until there is something to do: a timer or
/// posted work is due (<see cref="TimedEvents.Added"/> wakes it at once), the terminal sent input, or it was resized
/// (SIGWINCH). Before sleeping, whatever the previous turn's timers and posted work changed is drawn.
/// </summary>
internal sealed class LoopPacer : IDisposable
{
    /// <summary>The longest sleep: Terminal.Gui checks a few things only on a turn (ANSI replies that never came).</summary>
    internal static readonly TimeSpan MaxIdleWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the loop turns for <see cref="InputSettle"/> after input, and always when input cannot wake it:
    /// Terminal.Gui releases a lone Esc 50 ms after it came and reports a click once its 500 ms double-click window has
    /// passed, both on a turn.
    /// </summary>
    internal static readonly TimeSpan InputTurn = TimeSpan.FromMilliseconds(20);

    internal static readonly TimeSpan InputSettle = TimeSpan.FromMilliseconds(600);

    private readonly IApplication app;
    private readonly TimedEvents timers;
    private readonly TimeProvider clock;
    private readonly WakeSignal signal;
    private readonly bool inputWakes;
    private readonly ushort previousRate;
    private readonly PosixSignalRegistration? resize;
    private long lastInput;
    private bool started;

    /// <param name="app">The initialised application.</param>
    /// <param name="clock">The clock the sleeps are timed on (the same time Terminal.Gui's timers run on).</param>
    /// <param name="signal">What the loop sleeps on.</param>
    /// <param name="inputWakes">True when terminal input calls <see cref="InputQueued"/>; otherwise the loop polls for it.</param>
    public LoopPacer(IApplication app, TimeProvider clock, WakeSignal signal, bool inputWakes)
    {
        ArgumentNullException.ThrowIfNull(app);
        this.app = app;
        this.clock = clock;
        this.signal = signal;
        this.inputWakes = inputWakes;
        timers = app.TimedEvents as TimedEvents ?? throw new InvalidOperationException("Terminal.Gui's timers are not its TimedEvents; the loop cannot be paced.");
        lastInput = clock.GetTimestamp() - (long)(InputSettle.TotalSeconds * 2 * clock.TimestampFrequency);
        timers.Added += OnTimerAdded;
        app.Iteration += OnIteration;
        if (!OperatingSystem.IsWindows())
        {
            resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => signal.Set());
        }

        previousRate = Application.MaximumIterationsPerSecond;
        Application.MaximumIterationsPerSecond = ushort.MaxValue;
    }

    /// <summary>Terminal input was queued for the UI thread; called on the input thread.</summary>
    public void InputQueued()
    {
        Interlocked.Exchange(ref lastInput, clock.GetTimestamp());
        signal.Set();
    }

    /// <summary>How long the loop may sleep now: until the next timer, shorter while input may need a turn.</summary>
    internal TimeSpan NextWait()
    {
        TimeSpan wait = inputWakes ? MaxIdleWait : InputTurn;
        if (clock.GetElapsedTime(Interlocked.Read(ref lastInput)) < InputSettle)
        {
            wait = InputTurn;
        }

        if (timers.CheckTimers(out int dueInMs))
        {
            wait = TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, dueInMs));
        }

        return wait;
    }

    public void Dispose()
    {
        timers.Added -= OnTimerAdded;
        app.Iteration -= OnIteration;
        resize?.Dispose();
        Application.MaximumIterationsPerSecond = previousRate;
    }

    private void OnTimerAdded(object? sender, TimeoutEventArgs e) => signal.Set();

    // Raised at the start of each turn, before Terminal.Gui reads input, draws and runs timers.
    private void OnIteration(object? sender, EventArgs<IApplication?> e)
    {
        if (!started)
        {
            started = true;
            return;
        }

        // The previous turn ran timers and posted work after it drew; draw what they changed before sleeping.
        app.LayoutAndDraw();
        app.Navigation?.UpdateCursor();
        signal.Wait(NextWait());
    }
}
