using Aetherflow.Tui.Tests.Support;
using Aetherflow.Tui.Ui.Loop;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Tui.Tests.Ui.Loop;

/// <summary>What the UI thread sleeps on: woken by a set from any thread, or by its clock when the timeout passes.</summary>
public sealed class WakeSignalTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public void A_set_before_the_wait_ends_the_wait_at_once()
    {
        var signal = new WakeSignal(new FakeTimeProvider());
        signal.Set();

        Task wait = Task.Run(() => signal.Wait(Timeout.InfiniteTimeSpan));

        Assert.That(wait.Wait(Deadline), Is.True, "the set was remembered");
    }

    [Test]
    public async Task A_set_from_another_thread_wakes_a_wait_without_a_timeout()
    {
        var signal = new WakeSignal(new FakeTimeProvider());
        Task wait = Task.Run(() => signal.Wait(Timeout.InfiniteTimeSpan));
        await Wait.UntilAsync(() => signal.Waiting, "the wait to block");

        await Task.Run(signal.Set);

        Assert.That(wait.Wait(Deadline), Is.True);
        Assert.That(signal.Wakes, Is.EqualTo(1));
    }

    [Test]
    public async Task A_timed_wait_ends_when_its_clock_reaches_the_timeout_and_not_before()
    {
        var clock = new FakeTimeProvider();
        var signal = new WakeSignal(clock);
        Task wait = Task.Run(() => signal.Wait(TimeSpan.FromSeconds(1)));
        await Wait.UntilAsync(() => signal.Waiting, "the wait to block");

        clock.Advance(TimeSpan.FromMilliseconds(999));
        bool waitingBefore = signal.Waiting;
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.That(waitingBefore, Is.True, "still asleep a millisecond before the timeout");
        Assert.That(wait.Wait(Deadline), Is.True, "woken at the timeout");
    }

    [Test]
    public void A_zero_timeout_does_not_block_and_consumes_a_set()
    {
        var signal = new WakeSignal(new FakeTimeProvider());
        signal.Set();

        signal.Wait(TimeSpan.Zero);
        Task next = Task.Run(() => signal.Wait(TimeSpan.Zero));

        Assert.That(next.Wait(Deadline), Is.True);
        Assert.That(signal.Wakes, Is.EqualTo(2));
    }
}
