using System.Runtime.CompilerServices;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Time;

namespace Aetherflow.Tui.Ui.Loop;

/// <summary>
/// The Terminal.Gui application on the real terminal, with its main loop paced by events (<see cref="LoopPacer"/>) and
/// its input thread asleep until the terminal has input (<see cref="WakingInput"/>). Disposing it restores the terminal.
/// </summary>
internal sealed class DashboardTerminal : IDisposable
{
    private readonly WakingComponentFactory? factory;
    private readonly LoopPacer pacer;
    private int disposed;

    private DashboardTerminal(IApplication app, WakingComponentFactory? factory, LoopPacer pacer, WakeSignal signal)
    {
        App = app;
        this.factory = factory;
        this.pacer = pacer;
        Signal = signal;
    }

    public IApplication App { get; }

    /// <summary>What the UI thread sleeps on between turns.</summary>
    internal WakeSignal Signal { get; }

    /// <summary>True when terminal input wakes the loop (Terminal.Gui took the waking input); false when it polls.</summary>
    public bool InputWakes => factory?.InputCreated == true;

    /// <summary>Starts Terminal.Gui on the terminal (alternate screen, raw mode).</summary>
    /// <param name="clock">The clock the loop's sleeps are timed on; <see cref="TimeProvider.System"/> outside tests.</param>
    /// <param name="onFallback">Told why input cannot wake the loop, when it cannot (the loop then polls for input).</param>
    public static DashboardTerminal Open(TimeProvider clock, Action<string> onFallback)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(onFallback);
        var signal = new WakeSignal(clock);
        LoopPacer? pacer = null;
        IApplication app = Application.Create(new SystemTimeProvider());
        WakingComponentFactory? factory = new(() => pacer?.InputQueued());
        if (!TryUseFactory(app, factory, out string? why))
        {
            onFallback(why);
            factory = null;
        }

        try
        {
            app.Init(DriverRegistry.Names.ANSI);
            pacer = new LoopPacer(app, clock, signal, inputWakes: factory is not null);
            return new DashboardTerminal(app, factory, pacer, signal);
        }
        catch
        {
            pacer?.Dispose();
            app.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        pacer.Dispose();
        factory?.InterruptInput();
        App.Dispose();
    }

    // Terminal.Gui 2.5 takes a driver's component factory only through an internal constructor (its tests use it); the
    // field it stores it in is set here, before Init reads it. Terminal.Gui is pinned (Directory.Packages.props) and the
    // dashboard tests fail if this stops working (InputWakes).
    private static bool TryUseFactory(IApplication app, IComponentFactory factory, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? why)
    {
        try
        {
            ComponentFactoryOf(app) = factory;
            why = null;
            return true;
        }
        catch (Exception ex) when (ex is MissingFieldException or TypeLoadException or InvalidCastException)
        {
            why = $"Terminal.Gui's component factory cannot be set ({ex.Message}); the dashboard polls for input";
            return false;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_componentFactory")]
    private static extern ref IComponentFactory? ComponentFactoryOf([UnsafeAccessorType("Terminal.Gui.App.ApplicationImpl, Terminal.Gui")] object app);
}
