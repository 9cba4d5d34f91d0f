using System.Text;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Events;

public sealed class SessionEventSubscriptionTests
{
    [Test]
    public async Task A_subscription_replays_history_then_delivers_new_events()
    {
        using var fixture = new StoreFixture();
        fixture.AppendMany(3);
        using SessionEventSubscription subscription = fixture.Store.Subscribe(StoreFixture.Session, 1);

        var replay = await subscription.ReadAsync(10, CancellationToken.None);
        ValueTask<SessionEventReadResult> live = subscription.ReadAsync(10, CancellationToken.None);
        Assert.That(live.IsCompleted, Is.False, "nothing new yet, so the read waits");
        fixture.AppendMany(1);
        var delivered = await Eventually.WithinAsync(live.AsTask(), "the live event");

        Assert.Multiple(() =>
        {
            Assert.That(replay.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 2, 3 }));
            Assert.That(delivered.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 4 }));
            Assert.That(subscription.Cursor, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Subscribers_joining_during_concurrent_appends_see_every_event_once_in_order()
    {
        const int Producers = 4;
        const int PerProducer = 400;
        const int Total = Producers * PerProducer;
        using var fixture = new StoreFixture(o => o with { JournalDirectory = null });
        using var start = new ManualResetEventSlim();

        Task[] producers = [.. Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            start.Wait();
            for (int i = 0; i < PerProducer; i++)
            {
                fixture.Store.Append(StoreFixture.Session, "message.part.updated", Encoding.UTF8.GetBytes($$"""{"p":{{p}},"i":{{i}}}"""), fixture.Clock.GetUtcNow());
            }
        }))];

        start.Set();

        // Subscribers join at different points of the stream, from the very start and from "now".
        var early = Collect(fixture.Store.Subscribe(StoreFixture.Session, 0), Total);
        await Eventually.TrueAsync(() => fixture.Store.GetLastSequence(StoreFixture.Session) >= Total / 2, "half the events");
        long joinAt = fixture.Store.GetLastSequence(StoreFixture.Session);
        var late = Collect(fixture.Store.Subscribe(StoreFixture.Session, joinAt), Total - (int)joinAt);
        await Task.WhenAll(producers);

        long[] earlySeen = await Eventually.WithinAsync(early, "the early subscriber to see every event");
        long[] lateSeen = await Eventually.WithinAsync(late, "the late subscriber to see every later event");
        Assert.Multiple(() =>
        {
            Assert.That(earlySeen, Is.EqualTo(Enumerable.Range(1, Total).Select(i => (long)i)));
            Assert.That(lateSeen, Is.EqualTo(Enumerable.Range((int)joinAt + 1, Total - (int)joinAt).Select(i => (long)i)));
        });
    }

    [Test]
    public async Task A_subscriber_that_fell_behind_the_ring_is_told_and_continues_from_the_oldest_held()
    {
        using var fixture = new StoreFixture(o => o with { MaxEventsPerSession = 4 });
        using SessionEventSubscription subscription = fixture.Store.Subscribe(StoreFixture.Session, 0);
        fixture.AppendMany(10);

        var result = await subscription.ReadAsync(100, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.FellBehind, Is.True);
            Assert.That(result.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 7, 8, 9, 10 }));
        });
    }

    [Test]
    public async Task A_waiting_read_ends_when_cancelled()
    {
        using var fixture = new StoreFixture();
        using SessionEventSubscription subscription = fixture.Store.Subscribe(StoreFixture.Session, 0);
        using var cancel = new CancellationTokenSource();

        ValueTask<SessionEventReadResult> read = subscription.ReadAsync(10, cancel.Token);
        await cancel.CancelAsync();

        Assert.That(async () => await read, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Disposing_the_store_ends_a_waiting_subscription()
    {
        using var fixture = new StoreFixture();
        using SessionEventSubscription subscription = fixture.Store.Subscribe(StoreFixture.Session, 0);

        ValueTask<SessionEventReadResult> read = subscription.ReadAsync(10, CancellationToken.None);
        fixture.Store.Dispose();

        Assert.That(async () => await read.AsTask().WaitAsync(Eventually.DefaultTimeout), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public async Task A_cursor_from_a_lost_future_is_reset_to_the_newest_sequence()
    {
        using var fixture = new StoreFixture();
        fixture.AppendMany(2);
        using SessionEventSubscription subscription = fixture.Store.Subscribe(StoreFixture.Session, 50);

        var result = await subscription.ReadAsync(10, CancellationToken.None);
        fixture.AppendMany(1);
        var next = await subscription.ReadAsync(10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.CursorReset, Is.True);
            Assert.That(result.NextCursor, Is.EqualTo(2));
            Assert.That(next.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 3 }));
        });
    }

    private static async Task<long[]> Collect(SessionEventSubscription subscription, int count)
    {
        using (subscription)
        {
            var seen = new List<long>(count);
            while (seen.Count < count)
            {
                var page = await subscription.ReadAsync(50, CancellationToken.None);
                Assert.That(page.FellBehind, Is.False);
                seen.AddRange(page.Events.Select(e => e.Sequence));
            }

            return [.. seen];
        }
    }
}
