using Terminal.Gui.Drivers;

namespace Aetherflow.Tui.Ui.Loop;

/// <summary>Terminal.Gui's ANSI driver with <see cref="WakingInput"/> as its input.</summary>
internal sealed class WakingComponentFactory : AnsiComponentFactory
{
    private readonly Action inputQueued;
    private WakingInput? input;

    public WakingComponentFactory(Action inputQueued)
    {
        this.inputQueued = inputQueued;
    }

    /// <summary>True once Terminal.Gui has asked this factory for its input (it does so on its input thread).</summary>
    public bool InputCreated => Volatile.Read(ref input) is not null;

    public override IInput<char> CreateInput()
    {
        var created = new WakingInput(inputQueued);
        Volatile.Write(ref input, created);
        return created;
    }

    /// <summary>Lets the input thread stop at once when Terminal.Gui shuts down next.</summary>
    public void InterruptInput() => Volatile.Read(ref input)?.Interrupt();
}
