using System.Text;
using System.Text.Json;
using Aetherflow.Engine.Events;

namespace Aetherflow.Engine.Tests.Events;

/// <summary>
/// Older events keep their payload only in the journal and read it back when read: what a reader gets must be exactly
/// what was appended, across rotations, restarts, deleted and damaged files.
/// </summary>
[TestFixture]
public sealed class EventPayloadsInJournalTests
{
    private const string Session = StoreFixture.Session;

    [Test]
    public void Only_the_newest_payloads_stay_in_memory_and_older_ones_read_back_byte_for_byte()
    {
        using var fixture = new StoreFixture(o => o with { PayloadsInMemoryPerSession = 3 });
        List<string> appended = AppendVaried(fixture, 40);

        var stats = fixture.Store.GetStats(Session);
        IReadOnlyList<SessionEvent> read = fixture.Store.Read(Session, 0, 100).Events;

        Assert.Multiple(() =>
        {
            Assert.That(stats.Count, Is.EqualTo(40));
            Assert.That(stats.PayloadsHeld, Is.EqualTo(3));
            Assert.That(read.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 40).Select(i => (long)i)));
            Assert.That(read.Select(e => Encoding.UTF8.GetString(e.Payload.Span)), Is.EqualTo(appended));
            Assert.That(read.Select(e => e.Type).Distinct(), Is.EquivalentTo(new[] { "message.part.updated", "session.status" }));
        });
    }

    [Test]
    public void Payloads_read_back_across_rotations_even_from_files_rotated_away()
    {
        // 1 KiB files: the 60 events held span many files, most of them already replaced by later rotations.
        using var fixture = new StoreFixture(o => o with { MaxJournalFileBytes = 1024, MaxEventsPerSession = 60, PayloadsInMemoryPerSession = 1 });
        List<string> appended = AppendVaried(fixture, 400);

        IReadOnlyList<SessionEvent> read = fixture.Store.Read(Session, 0, 1000).Events;

        Assert.Multiple(() =>
        {
            Assert.That(read.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(341, 60).Select(i => (long)i)));
            Assert.That(read.Select(e => Encoding.UTF8.GetString(e.Payload.Span)), Is.EqualTo(appended.Skip(340)));
            Assert.That(fixture.Logger.Warnings, Is.Empty);
        });
    }

    [Test]
    public void Journal_files_no_event_is_held_in_are_closed()
    {
        using var fixture = new StoreFixture(o => o with { MaxJournalFileBytes = 1024, MaxEventsPerSession = 20, PayloadsInMemoryPerSession = 1 });

        AppendVaried(fixture, 1000);

        // The 20 events held (lines of at most 250 bytes) span at most six 1 KiB files, plus the file being written —
        // not the 150-odd files the 1000 events went through.
        Assert.That(OpenFilesUnder(fixture.JournalDirectory), Is.InRange(2, 7));
    }

    [Test]
    public void Restored_events_read_their_payloads_back_from_the_journal()
    {
        using var fixture = new StoreFixture(o => o with { PayloadsInMemoryPerSession = 2 });
        List<string> appended = AppendVaried(fixture, 30);

        SessionEventStore restarted = fixture.Restart();
        IReadOnlyList<SessionEvent> read = restarted.Read(Session, 0, 100).Events;

        Assert.Multiple(() =>
        {
            Assert.That(restarted.GetStats(Session).PayloadsHeld, Is.EqualTo(2));
            Assert.That(read.Select(e => Encoding.UTF8.GetString(e.Payload.Span)), Is.EqualTo(appended));
        });
    }

    [Test]
    public void Deleting_the_journal_files_loses_no_payload_of_events_held()
    {
        using var fixture = new StoreFixture(o => o with { PayloadsInMemoryPerSession = 2 });
        List<string> appended = AppendVaried(fixture, 30);

        File.Delete(fixture.JournalPath());
        IReadOnlyList<SessionEvent> read = fixture.Store.Read(Session, 0, 100).Events;

        Assert.That(read.Select(e => Encoding.UTF8.GetString(e.Payload.Span)), Is.EqualTo(appended));
    }

    [Test]
    public void A_truncated_journal_gives_placeholders_for_what_it_lost_and_a_warning()
    {
        using var fixture = new StoreFixture(o => o with { PayloadsInMemoryPerSession = 2 });
        List<string> appended = AppendVaried(fixture, 10);

        using (var file = new FileStream(fixture.JournalPath(), FileMode.Open, FileAccess.Write))
        {
            file.SetLength(0);
        }

        IReadOnlyList<SessionEvent> read = fixture.Store.Read(Session, 0, 100).Events;

        Assert.Multiple(() =>
        {
            Assert.That(read.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 10).Select(i => (long)i)));
            Assert.That(Encoding.UTF8.GetString(read[0].Payload.Span), Does.StartWith("""{"unavailable":{"reason":"the journal file is shorter"""));
            Assert.That(read.TakeLast(2).Select(e => Encoding.UTF8.GetString(e.Payload.Span)), Is.EqualTo(appended.TakeLast(2)));
            Assert.That(fixture.Logger.Warnings, Has.Some.Contains("cannot be read back"));
        });
    }

    [Test]
    public void Payloads_the_journal_could_not_write_stay_in_memory()
    {
        using var fixture = new StoreFixture(o => o with { PayloadsInMemoryPerSession = 2 });
        Directory.CreateDirectory(fixture.JournalDirectory);
        File.CreateSymbolicLink(fixture.JournalPath(), "/dev/full");

        List<string> appended = AppendVaried(fixture, 20);

        Assert.Multiple(() =>
        {
            Assert.That(fixture.Store.GetStats(Session).PayloadsHeld, Is.EqualTo(20));
            Assert.That(fixture.Store.Read(Session, 0, 100).Events.Select(e => Encoding.UTF8.GetString(e.Payload.Span)), Is.EqualTo(appended));
        });
    }

    [Test]
    public void Without_a_journal_every_payload_stays_in_memory()
    {
        using var fixture = new StoreFixture(o => o with { JournalDirectory = null, PayloadsInMemoryPerSession = 2 });

        List<string> appended = AppendVaried(fixture, 20);

        Assert.Multiple(() =>
        {
            Assert.That(fixture.Store.GetStats(Session).PayloadsHeld, Is.EqualTo(20));
            Assert.That(fixture.Store.Read(Session, 0, 100).Events.Select(e => Encoding.UTF8.GetString(e.Payload.Span)), Is.EqualTo(appended));
        });
    }

    [Test]
    public async Task A_subscriber_replaying_old_events_gets_their_payloads_from_the_journal()
    {
        using var fixture = new StoreFixture(o => o with { PayloadsInMemoryPerSession = 1 });
        List<string> appended = AppendVaried(fixture, 25);

        using SessionEventSubscription subscription = fixture.Store.Subscribe(Session, 0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<string>();
        while (received.Count < 25)
        {
            SessionEventReadResult page = await subscription.ReadAsync(10, timeout.Token);
            received.AddRange(page.Events.Select(e => Encoding.UTF8.GetString(e.Payload.Span)));
        }

        Assert.That(received, Is.EqualTo(appended));
    }

    // Payloads of different sizes and types, with escapes and non-ASCII text, as opencode sends them.
    private static List<string> AppendVaried(StoreFixture fixture, int count)
    {
        var appended = new List<string>();
        for (int i = 1; i <= count; i++)
        {
            string payload = i % 3 == 0
                ? $$"""{"sessionID":"{{Session}}","status":{"type":"busy"},"n":{{i}}}"""
                : JsonSerializer.Serialize(new { part = new { id = $"prt_{i}", text = new string('é', i % 7) + "line\nnext \"quoted\" ✓", n = i } });
            fixture.Append(i % 3 == 0 ? "session.status" : "message.part.updated", payload);
            appended.Add(payload);
        }

        return appended;
    }

    private static int OpenFilesUnder(string directory)
    {
        int count = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(directory, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
        }

        return count;
    }
}
