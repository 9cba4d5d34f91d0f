using Aetherflow.Tui.Ui.Loop;
using Microsoft.Extensions.Time.Testing;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Time;

namespace Aetherflow.Tui.Tests.Ui.Loop;

/// <summary>
/// How long the UI loop sleeps between turns: until the next Terminal.Gui timer is due, at most
/// <see cref="LoopPacer.MaxIdleWait"/>, not at all when work was posted, and in short turns for a while after input.
/// </summary>
[NonParallelizable]
public sealed class LoopPacerTests
{
    private VirtualTimeProvider uiTime = null!;
    private FakeTimeProvider clock = null!;
    private WakeSignal signal = null!;
    private IApplication app = null!;
    private LoopPacer pacer = null!;

    [SetUp]
    public void SetUp()
    {
        uiTime = new VirtualTimeProvider();
        clock = new FakeTimeProvider();
        signal = new WakeSignal(clock);
        app = Application.Create(uiTime).Init(DriverRegistry.Names.ANSI);
        pacer = new LoopPacer(app, clock, signal, inputWakes: true);
    }

    [TearDown]
    public void TearDown()
    {
        pacer.Dispose();
        app.Dispose();
    }

    [Test]
    public void With_nothing_due_the_loop_sleeps_its_longest()
    {
        Assert.That(pacer.NextWait(), Is.EqualTo(LoopPacer.MaxIdleWait));
    }

    [Test]
    public void The_loop_sleeps_until_the_next_timer_is_due()
    {
        app.AddTimeout(TimeSpan.FromMilliseconds(300), () => false);
        TimeSpan first = pacer.NextWait();
        uiTime.Advance(TimeSpan.FromMilliseconds(300));

        Assert.That(first, Is.EqualTo(TimeSpan.FromMilliseconds(300)));
        Assert.That(pacer.NextWait(), Is.EqualTo(TimeSpan.Zero), "due now");
    }

    [Test]
    public void Work_posted_from_another_thread_wakes_the_sleeping_loop()
    {
        Task.Run(() => app.Invoke(() => { })).Wait();

        Assert.That(pacer.NextWait(), Is.EqualTo(TimeSpan.Zero), "the posted work is due at once");
        Assert.That(Task.Run(() => signal.Wait(System.Threading.Timeout.InfiniteTimeSpan)).Wait(TimeSpan.FromSeconds(10)), Is.True, "posting set the signal");
    }

    [Test]
    public void After_input_the_loop_turns_often_for_a_while_then_sleeps_again()
    {
        pacer.InputQueued();
        TimeSpan afterInput = pacer.NextWait();
        clock.Advance(LoopPacer.InputSettle);

        Assert.That(afterInput, Is.EqualTo(LoopPacer.InputTurn), "a lone Esc and clicks are settled on later turns");
        Assert.That(pacer.NextWait(), Is.EqualTo(LoopPacer.MaxIdleWait));
    }

    [Test]
    public void When_input_cannot_wake_the_loop_it_turns_often_to_look_for_input()
    {
        using var polling = new LoopPacer(app, clock, signal, inputWakes: false);

        Assert.That(polling.NextWait(), Is.EqualTo(LoopPacer.InputTurn));
    }

    [Test]
    public void Terminal_Gui_waits_no_more_between_turns_while_the_loop_is_paced()
    {
        ushort during = Application.MaximumIterationsPerSecond;
        pacer.Dispose();

        Assert.That(during, Is.EqualTo(ushort.MaxValue), "its own fixed-rate sleep is off");
        Assert.That(Application.MaximumIterationsPerSecond, Is.EqualTo(Application.DefaultMaximumIterationsPerSecond), "restored");
    }
}
