using Aetherflow.Engine.Events;

namespace Aetherflow.Engine.Tests.Events;

/// <summary>Appends in a batch are journaled and published together, at the flush, in order.</summary>
[TestFixture]
public sealed class SessionEventBatchTests
{
    private const string Session = StoreFixture.Session;
    private const string Second = "ses_01JBBBBBBBBBBBBBBBBBBBBBBB";

    [Test]
    public void Batched_events_become_readable_and_reach_the_journal_only_at_the_flush()
    {
        using var fixture = new StoreFixture();
        using SessionEventBatch batch = fixture.Store.CreateBatch();

        for (int i = 1; i <= 5; i++)
        {
            fixture.Store.Append(Session, "session.status", StoreFixture.Json($$"""{"n":{{i}}}"""), fixture.Clock.GetUtcNow(), batch);
        }

        int readableBefore = fixture.Store.Read(Session, 0, 100).Events.Count;
        bool journaledBefore = File.Exists(fixture.JournalPath());
        batch.Flush();

        Assert.Multiple(() =>
        {
            Assert.That((readableBefore, journaledBefore), Is.EqualTo((0, false)));
            Assert.That(fixture.Store.Read(Session, 0, 100).Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            Assert.That(File.ReadAllLines(fixture.JournalPath()), Has.Length.EqualTo(5));
            Assert.That(batch.PendingSessions, Is.Zero);
        });
    }

    [Test]
    public void A_flush_publishes_each_session_once_with_all_its_events()
    {
        using var fixture = new StoreFixture();
        var published = new List<(string Session, long[] Sequences)>();
        fixture.Store.Appended += (_, e) => published.Add((e.SessionId, e.Events.Select(x => x.Sequence).ToArray()));

        using (SessionEventBatch batch = fixture.Store.CreateBatch())
        {
            for (int i = 1; i <= 6; i++)
            {
                fixture.Store.Append(i % 2 == 0 ? Second : Session, "session.status", StoreFixture.Json($$"""{"n":{{i}}}"""), fixture.Clock.GetUtcNow(), batch);
            }

            Assert.That(batch.PendingSessions, Is.EqualTo(2));
        }

        Assert.That(published, Has.Count.EqualTo(2), "disposing the batch flushes it: one notification per session");
        Assert.That(published.Single(p => p.Session == Session).Sequences, Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(published.Single(p => p.Session == Second).Sequences, Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Another_appender_to_a_batched_session_is_published_with_the_batch_in_sequence_order()
    {
        using var fixture = new StoreFixture();
        using SessionEventBatch batch = fixture.Store.CreateBatch();
        fixture.Store.Append(Session, "session.status", StoreFixture.Json("""{"n":1}"""), fixture.Clock.GetUtcNow(), batch);

        // From another thread, as the event stream would: queued behind the batch, not published past it.
        SessionEvent other = await Task.Run(() => fixture.Store.Append(Session, "session.status", StoreFixture.Json("""{"n":2}"""), fixture.Clock.GetUtcNow()));
        SessionEvent unrelated = await Task.Run(() => fixture.Store.Append(Second, "session.status", StoreFixture.Json("""{"n":3}"""), fixture.Clock.GetUtcNow()));
        int readableBefore = fixture.Store.Read(Session, 0, 100).Events.Count;
        batch.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(other.Sequence, Is.EqualTo(2));
            Assert.That(readableBefore, Is.Zero);
            Assert.That(fixture.Store.Read(Session, 0, 100).Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2 }));
            Assert.That(fixture.Store.Read(Second, 0, 100).Events.Select(e => e.Sequence), Is.EqualTo(new[] { unrelated.Sequence }), "other sessions are not held back");
        });
    }

    [Test]
    public async Task Work_deferred_until_publication_runs_after_the_flush_in_order_and_sees_its_events()
    {
        using var fixture = new StoreFixture();
        using SessionEventBatch batch = fixture.Store.CreateBatch();
        var ran = new List<(string Name, int Readable)>();
        fixture.Store.Append(Session, "session.status", StoreFixture.Json("""{"n":1}"""), fixture.Clock.GetUtcNow(), batch);
        fixture.Store.WhenPublished(Session, () => ran.Add(("first", fixture.Store.Read(Session, 0, 100).Events.Count)));

        // Another appender (the event stream's thread) queued behind the batch defers its work behind the batch's too.
        await Task.Run(() =>
        {
            fixture.Store.Append(Session, "session.status", StoreFixture.Json("""{"n":2}"""), fixture.Clock.GetUtcNow());
            fixture.Store.WhenPublished(Session, () => ran.Add(("second", fixture.Store.Read(Session, 0, 100).Events.Count)));
        });
        int ranBeforeFlush = ran.Count;
        batch.Flush();

        Assert.That(ranBeforeFlush, Is.Zero);
        Assert.That(ran, Is.EqualTo(new[] { ("first", 2), ("second", 2) }));
    }

    [Test]
    public void Work_deferred_with_nothing_unpublished_runs_at_once()
    {
        using var fixture = new StoreFixture();
        fixture.Store.Append(Session, "session.status", StoreFixture.Json("""{"n":1}"""), fixture.Clock.GetUtcNow());
        int readable = -1;
        bool ranForUnknownSession = false;

        fixture.Store.WhenPublished(Session, () => readable = fixture.Store.Read(Session, 0, 100).Events.Count);
        fixture.Store.WhenPublished(Second, () => ranForUnknownSession = true);

        Assert.That((readable, ranForUnknownSession), Is.EqualTo((1, true)));
    }

    [Test]
    public void Deferred_work_that_throws_is_logged_and_the_work_after_it_still_runs()
    {
        using var fixture = new StoreFixture();
        bool later = false;
        using (SessionEventBatch batch = fixture.Store.CreateBatch())
        {
            fixture.Store.Append(Session, "session.status", StoreFixture.Json("""{"n":1}"""), fixture.Clock.GetUtcNow(), batch);
            fixture.Store.WhenPublished(Session, () => throw new InvalidOperationException("listener bug"));
            fixture.Store.WhenPublished(Session, () => later = true);
        }

        Assert.That(later, Is.True);
        Assert.That(fixture.Logger.Entries.Select(e => e.Message), Has.Some.Contains("were published failed"));
        Assert.That(fixture.Store.Append(Session, "session.status", StoreFixture.Json("""{"n":2}"""), fixture.Clock.GetUtcNow()).Sequence, Is.EqualTo(2));
        Assert.That(fixture.Store.Read(Session, 0, 100).Events, Has.Count.EqualTo(2), "the session's writer was let go");
    }
}
