using System.Text;
using System.Text.Json;
using Aetherflow.Engine.Events;

namespace Aetherflow.Engine.Tests.Events;

public sealed class SessionEventStoreTests
{
    private const string Other = "ses_01JBBBBBBBBBBBBBBBBBBBBBBB";

    [Test]
    public void Sequences_start_at_one_and_increase_by_one_per_session()
    {
        using var fixture = new StoreFixture();

        long[] sequences = [.. Enumerable.Range(1, 5).Select(i => fixture.Append("session.idle", $$"""{"n":{{i}}}""").Sequence)];

        Assert.That(sequences, Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void Sessions_have_their_own_sequences_and_their_own_events()
    {
        using var fixture = new StoreFixture();

        fixture.AppendMany(3);
        fixture.AppendMany(2, Other);
        fixture.Append("session.idle", "{}");

        var mine = fixture.Store.Read(StoreFixture.Session, 0, 100);
        var other = fixture.Store.Read(Other, 0, 100);
        Assert.Multiple(() =>
        {
            Assert.That(mine.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
            Assert.That(mine.Events.Select(e => e.SessionId), Is.All.EqualTo(StoreFixture.Session));
            Assert.That(other.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2 }));
            Assert.That(other.Events.Select(e => e.SessionId), Is.All.EqualTo(Other));
        });
    }

    [Test]
    public void An_event_keeps_its_type_payload_and_receive_time()
    {
        using var fixture = new StoreFixture();
        DateTimeOffset at = fixture.Clock.GetUtcNow().AddSeconds(3);

        fixture.Store.Append(StoreFixture.Session, "session.idle", """{"sessionID":"ses_x"}"""u8, at);

        SessionEvent stored = fixture.Store.Read(StoreFixture.Session, 0, 1).Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(stored.Type, Is.EqualTo("session.idle"));
            Assert.That(Encoding.UTF8.GetString(stored.Payload.Span), Is.EqualTo("""{"sessionID":"ses_x"}"""));
            Assert.That(stored.ReceivedAt, Is.EqualTo(at));
        });
    }

    [Test]
    public void Reads_page_through_events_with_a_cursor()
    {
        using var fixture = new StoreFixture();
        fixture.AppendMany(7);

        var first = fixture.Store.Read(StoreFixture.Session, 0, 3);
        var second = fixture.Store.Read(StoreFixture.Session, first.NextCursor, 3);
        var third = fixture.Store.Read(StoreFixture.Session, second.NextCursor, 3);
        var empty = fixture.Store.Read(StoreFixture.Session, third.NextCursor, 3);

        Assert.Multiple(() =>
        {
            Assert.That(first.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(first.HasMore, Is.True);
            Assert.That(second.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 4, 5, 6 }));
            Assert.That(third.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 7 }));
            Assert.That(third.HasMore, Is.False);
            Assert.That(empty.Events, Is.Empty);
            Assert.That(empty.NextCursor, Is.EqualTo(7));
            Assert.That(empty.FellBehind, Is.False);
        });
    }

    [Test]
    public void Events_with_the_same_receive_time_are_all_read_once()
    {
        using var fixture = new StoreFixture();
        DateTimeOffset sameMillisecond = fixture.Clock.GetUtcNow();
        for (int i = 0; i < 4; i++)
        {
            fixture.Store.Append(StoreFixture.Session, "message.part.updated", """{"part":{}}"""u8, sameMillisecond);
        }

        var first = fixture.Store.Read(StoreFixture.Session, 0, 2);
        var rest = fixture.Store.Read(StoreFixture.Session, first.NextCursor, 10);

        Assert.That(first.Events.Concat(rest.Events).Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void The_count_bound_evicts_the_oldest_events_and_a_reader_behind_them_is_told()
    {
        using var fixture = new StoreFixture(o => o with { MaxEventsPerSession = 5 });

        fixture.AppendMany(12);

        var fromStart = fixture.Store.Read(StoreFixture.Session, 0, 100);
        var fromRecent = fixture.Store.Read(StoreFixture.Session, 8, 100);
        Assert.Multiple(() =>
        {
            Assert.That(fromStart.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 8, 9, 10, 11, 12 }));
            Assert.That(fromStart.FellBehind, Is.True);
            Assert.That(fromRecent.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 9, 10, 11, 12 }));
            Assert.That(fromRecent.FellBehind, Is.False);
            Assert.That(fixture.Store.GetStats(StoreFixture.Session).Count, Is.EqualTo(5));
        });
    }

    [Test]
    public void The_byte_bound_evicts_the_oldest_events()
    {
        string big = new('x', 2000);
        using var fixture = new StoreFixture(o => o with { MaxBytesPerSession = 10_000, MaxPayloadBytes = 4096 });

        for (int i = 0; i < 20; i++)
        {
            fixture.Append("message.part.updated", $$"""{"text":"{{big}}"}""");
        }

        var stats = fixture.Store.GetStats(StoreFixture.Session);
        var read = fixture.Store.Read(StoreFixture.Session, 0, 100);
        Assert.Multiple(() =>
        {
            Assert.That(stats.Bytes, Is.LessThanOrEqualTo(10_000));
            Assert.That(stats.Count, Is.EqualTo(4));
            Assert.That(read.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 17, 18, 19, 20 }));
            Assert.That(read.FellBehind, Is.True);
        });
    }

    [Test]
    public void Many_evictions_wrap_the_ring_and_keep_exactly_the_newest_events()
    {
        using var fixture = new StoreFixture(o => o with { JournalDirectory = null, MaxEventsPerSession = 1000 });

        for (int i = 1; i <= 25_000; i++)
        {
            fixture.Store.Append(StoreFixture.Session, "session.idle", """{}"""u8, fixture.Clock.GetUtcNow());
        }

        var read = fixture.Store.Read(StoreFixture.Session, 24_500, 1000);
        var stats = fixture.Store.GetStats(StoreFixture.Session);
        Assert.Multiple(() =>
        {
            Assert.That(stats.Count, Is.EqualTo(1000));
            Assert.That(stats.First, Is.EqualTo(24_001));
            Assert.That(stats.EvictedCount, Is.EqualTo(24_000));
            Assert.That(read.Events.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(24_501, 500).Select(i => (long)i)));
        });
    }

    [Test]
    public void A_payload_over_the_cap_is_stored_as_a_counted_placeholder()
    {
        using var fixture = new StoreFixture(o => o with { MaxPayloadBytes = 1024 });
        string huge = "{\"part\":{\"state\":{\"output\":\"" + new string('y', 5000) + "\"}}}";

        SessionEvent stored = fixture.Append("message.part.updated", huge);

        using var payload = JsonDocument.Parse(stored.Payload);
        var health = fixture.Store.Health;
        Assert.Multiple(() =>
        {
            Assert.That(stored.Sequence, Is.EqualTo(1));
            Assert.That(stored.Type, Is.EqualTo("message.part.updated"));
            Assert.That(payload.RootElement.GetProperty("oversized").GetProperty("bytes").GetInt32(), Is.EqualTo(huge.Length));
            Assert.That(health.OversizedPayloads, Is.EqualTo(1));
            Assert.That(health.Warnings.Single(), Does.Contain("exceeded the 1024-byte cap"));
            Assert.That(fixture.Logger.Warnings.Single(), Does.Contain(StoreFixture.Session));
        });
    }

    [TestCase("not json")]
    [TestCase("""{"a":1} {"b":2}""")]
    [TestCase("""{"a":""")]
    [TestCase("")]
    public void A_payload_that_is_not_one_JSON_value_is_refused(string payload)
    {
        using var fixture = new StoreFixture();

        Assert.That(() => fixture.Append("session.idle", payload), Throws.ArgumentException);
        Assert.That(fixture.Store.GetLastSequence(StoreFixture.Session), Is.Zero);
    }

    [TestCase("../../etc/passwd")]
    [TestCase("ses/../x")]
    [TestCase("")]
    [TestCase("--exec=evil")]
    public void A_session_id_that_could_escape_the_journal_folder_is_refused(string session)
    {
        using var fixture = new StoreFixture();

        Assert.That(() => fixture.Store.Append(session, "session.idle", "{}"u8, fixture.Clock.GetUtcNow()), Throws.ArgumentException);
        Assert.That(() => fixture.Store.Read(session, 0, 1), Throws.ArgumentException);
    }

    [Test]
    public void A_pretty_printed_payload_is_stored_on_one_journal_line()
    {
        using var fixture = new StoreFixture();

        fixture.Append("session.status", "{\n  \"sessionID\": \"ses_a\",\r\n  \"status\": {\"type\": \"busy\"}\n}");
        fixture.Append("session.idle", """{"sessionID":"ses_a"}""");

        string[] lines = File.ReadAllLines(fixture.JournalPath());
        Assert.That(lines, Has.Length.EqualTo(2));
        using var first = JsonDocument.Parse(lines[0]);
        Assert.That(first.RootElement.GetProperty("payload").GetProperty("status").GetProperty("type").GetString(), Is.EqualTo("busy"));
    }

    [Test]
    public void Appended_is_raised_once_the_events_are_readable_and_a_failing_handler_changes_nothing()
    {
        using var fixture = new StoreFixture();
        var seen = new List<(long Sequence, long Readable)>();
        fixture.Store.Appended += (_, _) => throw new InvalidOperationException("listener bug");
        fixture.Store.Appended += (_, args) =>
        {
            foreach (SessionEvent item in args.Events)
            {
                seen.Add((item.Sequence, fixture.Store.Read(args.SessionId, item.Sequence - 1, 1).Events.Single().Sequence));
            }
        };

        fixture.AppendMany(3);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(new[] { (1L, 1L), (2L, 2L), (3L, 3L) }));
            Assert.That(fixture.Store.GetLastSequence(StoreFixture.Session), Is.EqualTo(3));
            Assert.That(fixture.Logger.Entries.Count(e => e.Message.Contains("Appended handler failed", StringComparison.Ordinal)), Is.EqualTo(3));
        });
    }

    [Test]
    public void Concurrent_appends_to_one_session_get_distinct_gapless_sequences_in_journal_order()
    {
        using var fixture = new StoreFixture();

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            fixture.Store.Append(StoreFixture.Session, "session.idle", Encoding.UTF8.GetBytes($$"""{"n":{{i}}}"""), fixture.Clock.GetUtcNow()));

        var read = fixture.Store.Read(StoreFixture.Session, 0, 5000);
        long[] journal = [.. File.ReadAllLines(fixture.JournalPath()).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("seq").GetInt64())];
        Assert.Multiple(() =>
        {
            Assert.That(read.Events.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 2000).Select(i => (long)i)));
            Assert.That(journal, Is.EqualTo(Enumerable.Range(1, 2000).Select(i => (long)i)));
        });
    }
}
