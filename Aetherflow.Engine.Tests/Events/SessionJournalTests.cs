using System.Text;
using System.Text.Json;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Events;

public sealed class SessionJournalTests
{
    private const string Session = StoreFixture.Session;

    [Test]
    public void After_a_restart_the_history_is_back_and_the_sequence_continues()
    {
        using var fixture = new StoreFixture();
        fixture.AppendMany(5);

        SessionEventStore restarted = fixture.Restart();
        SessionEvent next = fixture.Append("session.idle", "{}");

        var read = restarted.Read(Session, 0, 100);
        Assert.Multiple(() =>
        {
            Assert.That(next.Sequence, Is.EqualTo(6));
            Assert.That(read.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(read.Events[0].Type, Is.EqualTo("session.status"));
            Assert.That(Encoding.UTF8.GetString(read.Events[0].Payload.Span), Does.Contain("\"n\":1"));
            Assert.That(read.Events[0].ReceivedAt, Is.EqualTo(fixture.Clock.GetUtcNow()));
        });
    }

    [Test]
    public void Each_line_holds_sequence_type_receive_time_and_payload()
    {
        using var fixture = new StoreFixture();

        fixture.Append("session.idle", """{"sessionID":"ses_a"}""");

        using var line = JsonDocument.Parse(File.ReadAllLines(fixture.JournalPath()).Single());
        JsonElement root = line.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("seq").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("session.idle"));
            Assert.That(root.GetProperty("at").GetDateTimeOffset(), Is.EqualTo(fixture.Clock.GetUtcNow()));
            Assert.That(root.GetProperty("payload").GetProperty("sessionID").GetString(), Is.EqualTo("ses_a"));
        });
    }

    [Test]
    public void A_type_with_quotes_line_breaks_and_non_ascii_and_a_time_with_ticks_come_back_exactly_after_a_restart()
    {
        using var fixture = new StoreFixture();
        const string Hostile = "x\",\"seq\":99}\n\u00e9\u2028\\";
        fixture.Clock.Advance(TimeSpan.FromTicks(1234567));
        DateTimeOffset at = fixture.Clock.GetUtcNow();
        fixture.Append(Hostile, "{}");
        fixture.Append("session.idle", "{}");

        string[] lines = File.ReadAllLines(fixture.JournalPath());
        var read = fixture.Restart().Read(Session, 0, 10);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(2));
            Assert.That(read.Events.Select(e => e.Type), Is.EqualTo(new[] { Hostile, "session.idle" }));
            Assert.That(read.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2 }));
            Assert.That(read.Events[0].ReceivedAt, Is.EqualTo(at));
        });
    }

    [Test]
    public void A_line_cut_short_by_a_crash_is_skipped_with_a_warning_and_the_next_event_starts_a_new_line()
    {
        using var fixture = new StoreFixture();
        fixture.AppendMany(3);
        fixture.Store.Dispose();
        File.AppendAllText(fixture.JournalPath(), """{"seq":4,"type":"session.st""");

        SessionEventStore restarted = fixture.Restart();
        var afterCrash = restarted.Read(Session, 0, 100);
        SessionEvent next = fixture.Append("session.idle", "{}");
        var afterSecondRestart = fixture.Restart().Read(Session, 0, 100);

        Assert.Multiple(() =>
        {
            Assert.That(afterCrash.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(next.Sequence, Is.EqualTo(4));
            Assert.That(afterSecondRestart.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
            Assert.That(afterSecondRestart.Events[^1].Type, Is.EqualTo("session.idle"));
            Assert.That(fixture.Store.Health.Warnings, Has.Some.Contains(fixture.JournalPath()).And.Contains("line 4"));
        });
    }

    [Test]
    public void Corrupt_lines_are_skipped_with_a_warning_naming_the_file()
    {
        using var fixture = new StoreFixture();
        fixture.AppendMany(4);
        fixture.Store.Dispose();
        string[] lines = File.ReadAllLines(fixture.JournalPath());
        lines[1] = "\u0000\u0001garbage";
        lines[2] = """{"seq":"three","type":"x","at":"2026-01-01T00:00:00Z","payload":{}}""";
        File.WriteAllLines(fixture.JournalPath(), lines);

        var read = fixture.Restart().Read(Session, 0, 100);

        Assert.Multiple(() =>
        {
            Assert.That(read.Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 4 }));
            Assert.That(fixture.Logger.Warnings, Has.Some.Contains(fixture.JournalPath()).And.Contains("skipped 2"));
            Assert.That(fixture.Append("session.idle", "{}").Sequence, Is.EqualTo(5));
        });
    }

    [Test]
    public void A_journal_with_no_readable_line_is_moved_aside_and_the_session_starts_afresh()
    {
        using var fixture = new StoreFixture();
        Directory.CreateDirectory(fixture.JournalDirectory);
        File.WriteAllText(fixture.JournalPath(), "this is not\na journal\n");

        var read = fixture.Store.Read(Session, 0, 10);
        SessionEvent first = fixture.Append("session.idle", "{}");

        string[] aside = Directory.GetFiles(fixture.JournalDirectory, Session + ".ndjson.corrupt-*");
        Assert.Multiple(() =>
        {
            Assert.That(read.Events, Is.Empty);
            Assert.That(first.Sequence, Is.EqualTo(1));
            Assert.That(aside, Has.Length.EqualTo(1));
            Assert.That(Path.GetFileName(aside[0]), Is.EqualTo(Session + ".ndjson.corrupt-20261122T100000Z"));
            Assert.That(File.ReadAllText(aside[0]), Is.EqualTo("this is not\na journal\n"), "the bad file is kept as it was");
            Assert.That(fixture.Store.Health.Warnings, Has.Some.Contains("moved aside"));
        });
    }

    [Test]
    public void A_journal_folder_that_cannot_be_created_degrades_the_journal_and_the_engine_keeps_going()
    {
        using var temp = new TempDirectory();
        string blocker = temp.Write("not-a-folder", "a file where the journal folder should be");
        using var fixture = new StoreFixture(o => o with { JournalDirectory = Path.Combine(blocker, "journals") });

        fixture.AppendMany(3);

        var health = fixture.Store.Health;
        Assert.Multiple(() =>
        {
            Assert.That(fixture.Store.Read(Session, 0, 10).Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(health.IsDegraded, Is.True);
            Assert.That(health.Warnings[0], Does.Contain(Session + ".ndjson").And.Contain("kept in memory only"));
            Assert.That(health.UnwrittenEvents, Is.EqualTo(3));
        });
    }

    [Test]
    public void A_read_only_journal_folder_degrades_the_journal_and_keeps_what_was_written()
    {
        Assume.That(UnixNative.GetEffectiveUserId(), Is.Not.Zero, "root can write into read-only folders");
        using var fixture = new StoreFixture();
        fixture.AppendMany(2);
        fixture.Store.Dispose();
        File.SetUnixFileMode(fixture.JournalDirectory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.SetUnixFileMode(fixture.JournalPath(), UnixFileMode.UserRead);
        try
        {
            fixture.Restart();
            fixture.AppendMany(2);

            Assert.Multiple(() =>
            {
                Assert.That(fixture.Store.Read(Session, 0, 10).Events.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
                Assert.That(fixture.Store.Health.IsDegraded, Is.True);
                Assert.That(File.ReadAllLines(fixture.JournalPath()), Has.Length.EqualTo(2));
            });
        }
        finally
        {
            File.SetUnixFileMode(fixture.JournalDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(fixture.JournalPath(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Test]
    public void A_full_disk_degrades_the_journal_without_an_exception()
    {
        using var fixture = new StoreFixture();
        Directory.CreateDirectory(fixture.JournalDirectory);
        File.CreateSymbolicLink(fixture.JournalPath(), "/dev/full");

        fixture.AppendMany(2);

        Assert.Multiple(() =>
        {
            Assert.That(fixture.Store.Read(Session, 0, 10).Events, Has.Count.EqualTo(2));
            Assert.That(fixture.Store.Health.IsDegraded, Is.True);
            Assert.That(fixture.Store.Health.Warnings[0], Does.Contain("cannot be written"));
        });
    }

    [Test]
    public void A_write_that_fails_halfway_damages_nothing_and_writing_resumes_after_the_retry_interval()
    {
        using var temp = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var failing = new FailingFiles();
        var logger = new RecordingLogger<SessionJournal>();
        using var journal = new SessionJournal(temp.Path, Session, 1 << 20, TimeSpan.FromSeconds(30), clock, logger, failing.Open);

        bool first = journal.Append([Event(1), Event(2)]);
        failing.FailAfterBytes = 10;
        bool second = journal.Append([Event(3)]);
        bool whileDegraded = journal.Append([Event(4)]);
        string? status = journal.Status;
        failing.FailAfterBytes = null;
        clock.Advance(TimeSpan.FromSeconds(31));
        bool resumed = journal.Append([Event(5)]);

        var loaded = new List<long>();
        var result = new SessionJournal(temp.Path, Session, 1 << 20, TimeSpan.FromSeconds(30), clock, logger).Load(e => loaded.Add(e.Sequence));
        Assert.Multiple(() =>
        {
            Assert.That((first, second, whileDegraded, resumed), Is.EqualTo((true, false, false, true)));
            Assert.That(status, Does.Contain(journal.FilePath));
            Assert.That(journal.IsDegraded, Is.False);
            Assert.That(loaded, Is.EqualTo(new long[] { 1, 2, 5 }));
            Assert.That(result.SkippedLines, Is.EqualTo(1), "the half-written line");
            Assert.That(journal.UnwrittenEvents, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_full_journal_rotates_to_one_previous_file_and_the_sequence_survives()
    {
        string padding = new('p', 400);
        using var fixture = new StoreFixture(o => o with { MaxJournalFileBytes = 4096 });

        for (int i = 0; i < 40; i++)
        {
            fixture.Append("message.part.updated", $$"""{"text":"{{padding}}"}""");
        }

        string[] files = Directory.GetFiles(fixture.JournalDirectory);
        var restarted = fixture.Restart();
        var read = restarted.Read(Session, 0, 100);
        SessionEvent next = fixture.Append("session.idle", "{}");
        Assert.Multiple(() =>
        {
            Assert.That(files.Select(Path.GetFileName), Is.EquivalentTo(new[] { Session + ".ndjson", Session + ".ndjson.1" }));
            Assert.That(files.Select(f => new FileInfo(f).Length), Is.All.LessThanOrEqualTo(4096));
            Assert.That(read.FellBehind, Is.True, "the oldest events were rotated away");
            Assert.That(read.Events[^1].Sequence, Is.EqualTo(40));
            Assert.That(read.Events.Select(e => e.Sequence), Is.Ordered.Ascending);
            Assert.That(next.Sequence, Is.EqualTo(41));
        });
    }

    [Test]
    public void Journal_files_are_private_to_the_user()
    {
        using var fixture = new StoreFixture();

        fixture.AppendMany(1);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(fixture.JournalPath()), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(fixture.JournalDirectory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        });
    }

    [Test]
    public void An_idle_session_leaves_memory_after_48_hours_and_comes_back_from_its_journal()
    {
        using var fixture = new StoreFixture();
        fixture.AppendMany(3);
        const string Watched = "ses_01JWATCHEDWATCHEDWATCHED1";
        fixture.AppendMany(1, Watched);
        using SessionEventSubscription subscription = fixture.Store.Subscribe(Watched, 0);

        fixture.Clock.Advance(TimeSpan.FromHours(47));
        var stillThere = fixture.Store.SessionsInMemory;
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        var afterSweep = fixture.Store.SessionsInMemory;
        SessionEvent next = fixture.Append("session.idle", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(stillThere, Does.Contain(Session));
            Assert.That(afterSweep, Does.Not.Contain(Session));
            Assert.That(afterSweep, Does.Contain(Watched), "a subscribed session stays");
            Assert.That(next.Sequence, Is.EqualTo(4));
            Assert.That(fixture.Store.Read(Session, 0, 10).Events, Has.Count.EqualTo(4));
            Assert.That(fixture.Store.ListJournaledSessions(), Is.EquivalentTo(new[] { Session, Watched }));
        });
    }

    private static SessionEvent Event(long sequence) =>
        new(Session, sequence, "session.idle", DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes($$"""{"sessionID":"{{Session}}","n":{{sequence}}}"""));

    /// <summary>Opens real files, but can make writes fail after part of the data went to disk, like ENOSPC.</summary>
    private sealed class FailingFiles
    {
        public int? FailAfterBytes { get; set; }

        public Stream Open(string path) => new FailingStream(new FileStream(path, FileMode.Append, FileAccess.Write), this);

        private sealed class FailingStream(FileStream inner, FailingFiles owner) : Stream
        {
            public override bool CanRead => false;

            public override bool CanSeek => inner.CanSeek;

            public override bool CanWrite => true;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => inner.Position = value; }

            public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

            public override void Write(ReadOnlySpan<byte> buffer)
            {
                if (owner.FailAfterBytes is int limit && buffer.Length > limit)
                {
                    inner.Write(buffer[..limit]);
                    inner.Flush();
                    throw new IOException("No space left on device");
                }

                inner.Write(buffer);
                inner.Flush();
            }

            public override void Flush() => inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

            public override void SetLength(long value) => inner.SetLength(value);

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
