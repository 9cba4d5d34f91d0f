namespace Aetherflow.Tui.Ui.Loop;

/// <summary>
/// What the UI thread sleeps on between two turns of the main loop: set from any thread when there is work (input
/// read, work posted, the terminal resized), or by a timer on a <see cref="TimeProvider"/> when the next UI timer is
/// due. The wait blocks without spinning, so an idle dashboard costs nothing between wake-ups.
/// </summary>
internal sealed class WakeSignal
{
    private readonly object gate = new();
    private readonly TimeProvider clock;
    private bool set;
    private bool waiting;
    private long wakes;

    public WakeSignal(TimeProvider clock)
    {
        this.clock = clock;
    }

    /// <summary>How many waits have ended; tests watch it to know the loop has turned.</summary>
    public long Wakes
    {
        get
        {
            lock (gate)
            {
                return wakes;
            }
        }
    }

    /// <summary>True while a thread is blocked in <see cref="Wait"/>.</summary>
    public bool Waiting
    {
        get
        {
            lock (gate)
            {
                return waiting;
            }
        }
    }

    /// <summary>Wakes the waiting thread now, or makes the next wait return at once. Callable from any thread.</summary>
    public void Set()
    {
        lock (gate)
        {
            set = true;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>
    /// Blocks until <see cref="Set"/> or until <paramref name="timeout"/> has passed on the clock
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: only <see cref="Set"/>; zero or less: does not block).
    /// </summary>
    public void Wait(TimeSpan timeout)
    {
        bool block = timeout == Timeout.InfiniteTimeSpan || timeout > TimeSpan.Zero;
        using ITimer? timer = block && timeout != Timeout.InfiniteTimeSpan
            ? clock.CreateTimer(static state => ((WakeSignal)state!).Set(), this, timeout, Timeout.InfiniteTimeSpan)
            : null;
        lock (gate)
        {
            waiting = block;
            while (block && !set)
            {
                Monitor.Wait(gate);
            }

            set = false;
            waiting = false;
            wakes++;
        }
    }
}
