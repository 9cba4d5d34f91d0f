using System.Text.Json;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode.Events;
using static Aetherflow.Engine.Tests.Opencode.Events.OpencodeSamples;

namespace Aetherflow.Engine.Tests.Opencode.Events;

public sealed class OpencodeLogFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_bash_session_reads_as_prompt_tool_start_and_finish_steps_and_text_each_once()
    {
        var formatter = new OpencodeLogFormatter();

        List<LogLine> lines = Format(formatter, BashSession());

        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.ToString()), Is.EqualTo(new[]
            {
                "› Create out.txt containing hello",
                "bash …echo hello > out.txt",
                "bash ✓echo hello > out.txt (12ms)\n    → (no output)",
                "── step ── 20 out  0 cached  reason: tool-calls",
                "Done: created out.txt",
                "── step ── 8 out  100 cached  reason: stop",
            }));
            Assert.That(lines.Select(l => l.Kind), Is.EqualTo(new[] { LogLineKind.Prompt, LogLineKind.Tool, LogLineKind.Tool, LogLineKind.Step, LogLineKind.Text, LogLineKind.Step }));
            Assert.That(lines[2].Timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 312)), "a part's own end time");
        });
    }

    [Test]
    public void Tool_lines_are_segments_the_caller_colours_without_any_escape_codes()
    {
        var formatter = new OpencodeLogFormatter();

        LogLine line = Format(formatter, [Global("message.part.updated", Completed())]).Single();

        Assert.Multiple(() =>
        {
            Assert.That(line.Segments.Select(s => s.Kind), Is.EqualTo(new[] { LogSegmentKind.Tool, LogSegmentKind.Plain, LogSegmentKind.Success, LogSegmentKind.Plain, LogSegmentKind.Dim }));
            Assert.That(line.Segments[0].Text, Is.EqualTo("bash"));
            Assert.That(line.Segments[4].Text, Is.EqualTo(" (12ms)"));
            Assert.That(line.Segments.Select(s => s.Text), Has.None.Contains("\u001b"));
        });
    }

    [Test]
    public void A_failed_tool_shows_a_cross_and_its_error()
    {
        var formatter = new OpencodeLogFormatter();

        LogLine line = Format(formatter, [Global("message.part.updated", Tool($$"""{"status":"error","input":{"filePath":"/work/project/missing.cs"},"error":"File not found: /work/project/missing.cs","time":{"start":{{T0}},"end":{{T0 + 2500}} } }""", tool: "read"))]).Single();

        Assert.Multiple(() =>
        {
            Assert.That(line.Text, Is.EqualTo("read ✗/work/project/missing.cs (2.5s)"));
            Assert.That(line.Segments[2], Is.EqualTo(new LogSegment(LogSegmentKind.Failure, "✗")));
            Assert.That(line.Detail, Is.EqualTo("File not found: /work/project/missing.cs"));
        });
    }

    [Test]
    public void Agent_text_is_sanitised_before_it_is_cut()
    {
        var formatter = new OpencodeLogFormatter(maxTextLength: 20);

        // The escape sequences are longer than the limit: cutting first would leave half a sequence and no text.
        string evil = "\\u001b]0;pwned-title-that-is-long\\u0007\\u001b[31mred alert\\u001b[0m then more text here";
        LogLine line = Format(formatter, [Global("message.part.updated", AssistantText(evil, ended: true))]).Single();

        Assert.That(line.Text, Is.EqualTo("red alert then more…"));
    }

    [Test]
    public void Session_errors_retries_and_permission_requests_are_shown()
    {
        var formatter = new OpencodeLogFormatter();

        List<LogLine> lines = Format(formatter,
        [
            Global("session.status", Status($$"""{"type":"retry","attempt":3,"message":"Service Unavailable","next":{{T0}} }""")),
            Global("permission.asked", $$"""{"id":"per_1","sessionID":"{{Session}}","permission":"external_directory","patterns":["/etc/*"],"metadata":{},"always":[]}"""),
            Global("session.error", $$"""{"sessionID":"{{Session}}","error":{"name":"APIError","data":{"message":"scripted failure","statusCode":400} } }"""),
            Global("session.status", Status("""{"type":"busy"}""")),
        ]);

        Assert.That(lines.Select(l => (l.Kind, l.Text)), Is.EqualTo(new[]
        {
            (LogLineKind.Retry, "retrying (attempt 3): Service Unavailable"),
            (LogLineKind.Permission, "waiting for permission: external_directory (/etc/*)"),
            (LogLineKind.Error, "error: APIError: scripted failure"),
        }));
    }

    [Test]
    public void Formatting_stored_events_gives_the_same_lines_as_live_ones()
    {
        using var fixture = new Aetherflow.Engine.Tests.Events.StoreFixture(o => o with { JournalDirectory = null });
        foreach (string data in BashSession())
        {
            using OpencodeEvent parsed = OpencodeEventParser.Parse(Utf8(data));
            if (parsed.IsStored)
            {
                fixture.Store.Append(parsed.SessionId!, parsed.Type, parsed.PropertiesUtf8, Now);
            }
        }

        var fromStore = new OpencodeLogFormatter();
        var stored = fixture.Store.Read(Session, 0, 1000).Events.Select(fromStore.Format).OfType<LogLine>().Select(l => l.ToString());

        Assert.That(stored, Is.EqualTo(Format(new OpencodeLogFormatter(), BashSession()).Select(l => l.ToString())));
    }

    [TestCase(0, "0ms")]
    [TestCase(850, "850ms")]
    [TestCase(4200, "4.2s")]
    [TestCase(59_949, "59.9s")]
    [TestCase(59_999, "1m0s")]
    [TestCase(125_000, "2m5s")]
    public void Durations_read_naturally(long milliseconds, string expected) =>
        Assert.That(OpencodeLogFormatter.FormatDuration(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));

    [TestCase(950, "950")]
    [TestCase(1500, "1.5k")]
    [TestCase(12_345, "12k")]
    public void Token_counts_are_short(long count, string expected) =>
        Assert.That(OpencodeLogFormatter.FormatCount(count), Is.EqualTo(expected));

    private static List<LogLine> Format(OpencodeLogFormatter formatter, IEnumerable<string> events)
    {
        var lines = new List<LogLine>();
        foreach (string data in events)
        {
            using OpencodeEvent parsed = OpencodeEventParser.Parse(Utf8(data));
            if (formatter.Format(parsed.Type, parsed.Properties, Now) is { } line)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    [Test]
    public void Events_that_are_not_shown_give_no_line()
    {
        var formatter = new OpencodeLogFormatter();
        using var document = JsonDocument.Parse("""{"sessionID":"ses_a","diff":[]}""");

        Assert.That(formatter.Format("session.diff", document.RootElement, Now), Is.Null);
    }
}
