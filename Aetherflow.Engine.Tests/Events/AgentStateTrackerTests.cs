using System.Text.Json;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Aetherflow.Engine.Tests.Opencode.Events.OpencodeSamples;

namespace Aetherflow.Engine.Tests.Events;

public sealed class AgentStateTrackerTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public void A_whole_bash_session_ends_succeeded_with_one_collapsed_tool_call_and_tokens_counted_once()
    {
        using AgentStateTracker tracker = NewTracker();
        var activities = new List<AgentActivity>();
        tracker.Changed += (_, s) => activities.Add(s.Activity);

        Feed(tracker, BashSession());

        AgentStateSnapshot state = tracker.Snapshot;
        ToolCall call = state.ToolCalls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(activities.Distinct(), Is.EqualTo(new[] { AgentActivity.Starting, AgentActivity.Busy, AgentActivity.Idle }));
            Assert.That(state.Activity, Is.EqualTo(AgentActivity.Idle));
            Assert.That(state.Outcome?.Kind, Is.EqualTo(SessionOutcomeKind.Succeeded));
            Assert.That(state.IsTerminal, Is.True);
            Assert.That((call.PartId, call.Tool, call.Status), Is.EqualTo((ToolPart, "bash", ToolCallStatus.Completed)));
            Assert.That(call.KeyInput, Is.EqualTo("echo hello > out.txt"));
            Assert.That(call.Title, Is.EqualTo("echo hello > out.txt"));
            Assert.That(call.Duration, Is.EqualTo(TimeSpan.FromMilliseconds(12)));
            Assert.That(state.LastTool, Is.EqualTo("bash: echo hello > out.txt"));
            Assert.That(state.Tokens, Is.EqualTo(new TokenUsage(Input: 210, Output: 28, Reasoning: 0, CacheRead: 100, CacheWrite: 0)));
            Assert.That(state.Cost, Is.EqualTo(0.002).Within(1e-9));
            Assert.That(state.LastText, Is.EqualTo("Done: created out.txt"));
            Assert.That(state.LastError, Is.Null);
            Assert.That(state.LastEventAt, Is.EqualTo(clock.GetUtcNow()));
        });
    }

    [Test]
    public void The_state_fills_an_agent_runtime_status_and_keeps_its_pid()
    {
        using AgentStateTracker tracker = NewTracker();
        Feed(tracker, BashSession());

        var status = tracker.Snapshot.ApplyTo(new Aetherflow.Engine.Runtimes.AgentRuntimeStatus { Pid = 4242 });

        Assert.That(
            (status.Pid, status.Activity, status.SessionId, status.LastTool, status.InputTokens, status.OutputTokens),
            Is.EqualTo(((int?)4242, AgentActivity.Idle, (string?)Session, (string?)"bash: echo hello > out.txt", 210L, 28L)));
    }

    [Test]
    public void Replaying_the_same_events_again_counts_nothing_twice()
    {
        using AgentStateTracker tracker = NewTracker();

        Feed(tracker, BashSession());
        Feed(tracker, BashSession());

        AgentStateSnapshot state = tracker.Snapshot;
        Assert.Multiple(() =>
        {
            Assert.That(state.Tokens.Input, Is.EqualTo(210));
            Assert.That(state.Cost, Is.EqualTo(0.002).Within(1e-9));
            Assert.That(state.ToolCalls, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Streamed_deltas_show_text_progress_before_the_part_is_final()
    {
        using AgentStateTracker tracker = NewTracker();
        IReadOnlyList<string> events = BashSession();
        int firstDelta = events.ToList().FindIndex(e => e.Contains("message.part.delta", StringComparison.Ordinal));

        Feed(tracker, events.Take(firstDelta + 1));
        string? afterOne = tracker.Snapshot.LastText;
        Feed(tracker, events.Skip(firstDelta + 1).Take(1));

        Assert.Multiple(() =>
        {
            Assert.That(afterOne, Is.EqualTo("Done: "));
            Assert.That(tracker.Snapshot.LastText, Is.EqualTo("Done: created out.txt"));
        });
    }

    [Test]
    public void The_prompt_is_not_taken_for_the_agents_text()
    {
        using AgentStateTracker tracker = NewTracker();

        Feed(tracker, BashSession().Take(6));

        Assert.That(tracker.Snapshot.LastText, Is.Null);
    }

    [Test]
    public void A_busy_session_without_events_for_the_hang_timeout_becomes_hung_until_its_next_event()
    {
        using AgentStateTracker tracker = NewTracker(new AgentStateTrackerOptions { HangTimeout = TimeSpan.FromMinutes(10) });
        var changes = new List<AgentActivity>();
        tracker.Changed += (_, s) => changes.Add(s.Activity);
        Feed(tracker, [Global("session.status", Status("""{"type":"busy"}"""))]);

        clock.Advance(TimeSpan.FromMinutes(9));
        AgentActivity before = tracker.Snapshot.Activity;
        Feed(tracker, [Global("message.part.updated", Running())]);
        clock.Advance(TimeSpan.FromMinutes(9));
        AgentActivity stillBusy = tracker.Snapshot.Activity;
        clock.Advance(TimeSpan.FromMinutes(1));
        AgentActivity hung = tracker.Snapshot.Activity;
        Feed(tracker, [Global("message.part.updated", Completed())]);

        Assert.Multiple(() =>
        {
            Assert.That((before, stillBusy, hung), Is.EqualTo((AgentActivity.Busy, AgentActivity.Busy, AgentActivity.Hung)));
            Assert.That(changes, Is.EqualTo(new[] { AgentActivity.Busy, AgentActivity.Busy, AgentActivity.Hung, AgentActivity.Busy }));
            Assert.That(tracker.Snapshot.Activity, Is.EqualTo(AgentActivity.Busy));
        });
    }

    [Test]
    public void Idle_and_permission_waiting_sessions_never_become_hung()
    {
        using AgentStateTracker idle = NewTracker();
        using AgentStateTracker waiting = NewTracker();
        Feed(idle, [Global("session.status", Status("""{"type":"busy"}""")), Global("session.idle", Idle())]);
        Feed(waiting, [Global("session.status", Status("""{"type":"busy"}""")), Global("permission.asked", PermissionAsked("per_1"))]);

        clock.Advance(TimeSpan.FromHours(2));

        Assert.Multiple(() =>
        {
            Assert.That(idle.Snapshot.Activity, Is.EqualTo(AgentActivity.Idle));
            Assert.That(waiting.Snapshot.Activity, Is.EqualTo(AgentActivity.WaitingForPermission));
        });
    }

    [Test]
    public void A_permission_request_makes_the_session_wait_until_it_is_answered()
    {
        using AgentStateTracker tracker = NewTracker();
        Feed(tracker, [Global("session.status", Status("""{"type":"busy"}""")), Global("message.part.updated", Running())]);

        Feed(tracker, [Global("permission.asked", PermissionAsked("per_7"))]);
        AgentStateSnapshot asked = tracker.Snapshot;
        Feed(tracker, [Global("permission.replied", $$"""{"sessionID":"{{Session}}","requestID":"per_7","reply":"once"}""")]);

        Assert.Multiple(() =>
        {
            Assert.That(asked.Activity, Is.EqualTo(AgentActivity.WaitingForPermission));
            Assert.That(asked.PendingRequests, Is.EqualTo(1));
            Assert.That(tracker.Snapshot.Activity, Is.EqualTo(AgentActivity.Busy));
            Assert.That(tracker.Snapshot.PendingRequests, Is.Zero);
        });
    }

    [Test]
    public void A_retry_status_shows_the_attempt_reason_and_next_time_until_the_session_is_busy_again()
    {
        using AgentStateTracker tracker = NewTracker();

        Feed(tracker, [Global("session.status", Status($$"""{"type":"retry","attempt":2,"message":"Internal Server Error\u001b[2J","next":{{T0 + 4600}} }"""))]);
        AgentStateSnapshot retrying = tracker.Snapshot;
        Feed(tracker, [Global("session.status", Status("""{"type":"busy"}"""))]);

        Assert.Multiple(() =>
        {
            Assert.That(retrying.Activity, Is.EqualTo(AgentActivity.Retrying));
            Assert.That(retrying.Retry, Is.EqualTo(new RetryInfo(2, "Internal Server Error", DateTimeOffset.FromUnixTimeMilliseconds(T0 + 4600))));
            Assert.That(tracker.Snapshot.Activity, Is.EqualTo(AgentActivity.Busy));
            Assert.That(tracker.Snapshot.Retry, Is.Null);
        });
    }

    [Test]
    public void A_session_error_followed_by_idle_fails_the_turn_with_the_error_in_one_line()
    {
        using AgentStateTracker tracker = NewTracker();
        const string ApiError = """{"name":"APIError","data":{"message":"scripted\nfailure","statusCode":400,"isRetryable":false}}""";

        Feed(tracker,
        [
            Global("session.status", Status("""{"type":"busy"}""")),
            Global("message.updated", Assistant(ToolStep, T0 + 100, completed: T0 + 200, error: ApiError)),
            Global("session.error", $$"""{"sessionID":"{{Session}}","error":{{ApiError}} }"""),
            Global("session.idle", Idle()),
        ]);

        AgentStateSnapshot state = tracker.Snapshot;
        Assert.Multiple(() =>
        {
            Assert.That(state.Outcome?.Kind, Is.EqualTo(SessionOutcomeKind.Failed));
            Assert.That(state.Outcome?.Reason, Is.EqualTo("APIError: scripted failure"));
            Assert.That(state.LastError, Is.EqualTo("APIError: scripted failure"));
        });
    }

    [Test]
    public void An_aborted_turn_is_aborted_not_failed()
    {
        using AgentStateTracker tracker = NewTracker();

        Feed(tracker,
        [
            Global("session.status", Status("""{"type":"busy"}""")),
            Global("message.updated", Assistant(ToolStep, T0 + 100, completed: T0 + 200, error: """{"name":"MessageAbortedError","data":{"message":"Aborted"}}""")),
            Global("session.idle", Idle()),
        ]);

        Assert.That(tracker.Snapshot.Outcome?.Kind, Is.EqualTo(SessionOutcomeKind.Aborted));
    }

    [Test]
    public void Idle_without_the_final_message_is_incomplete_until_the_missing_message_arrives()
    {
        using AgentStateTracker tracker = NewTracker();
        var events = BashSession().ToList();
        int finalMessages = events.FindIndex(e => e.Contains("\"finish\":\"stop\"", StringComparison.Ordinal));
        var lost = events.Take(finalMessages).Concat(events.Skip(finalMessages + 2)).ToList();

        Feed(tracker, lost);
        SessionOutcome? beforeBackfill = tracker.Snapshot.Outcome;
        Feed(tracker, [Global("message.updated", Assistant(FinalStep, T0 + 340, finish: "stop", completed: T0 + 430, input: 110, output: 8, cacheRead: 100, cost: 0.0008))]);

        Assert.Multiple(() =>
        {
            Assert.That(beforeBackfill?.Kind, Is.EqualTo(SessionOutcomeKind.Incomplete));
            Assert.That(tracker.Snapshot.Outcome?.Kind, Is.EqualTo(SessionOutcomeKind.Succeeded));
            Assert.That(tracker.Snapshot.Tokens.Input, Is.EqualTo(210));
        });
    }

    [Test]
    public void A_new_prompt_after_idle_starts_a_new_turn()
    {
        using AgentStateTracker tracker = NewTracker();
        Feed(tracker, BashSession());

        Feed(tracker, [Global("session.status", Status("""{"type":"busy"}"""))]);

        Assert.Multiple(() =>
        {
            Assert.That(tracker.Snapshot.Activity, Is.EqualTo(AgentActivity.Busy));
            Assert.That(tracker.Snapshot.Outcome, Is.Null);
        });
    }

    [Test]
    public void Only_the_newest_tool_calls_are_kept_in_first_seen_order()
    {
        using AgentStateTracker tracker = NewTracker(new AgentStateTrackerOptions { MaxToolCalls = 3 });

        for (int i = 1; i <= 5; i++)
        {
            string input = $$"""{"filePath":"/work/project/f{{i}}.cs"}""";
            Feed(tracker, [Global("message.part.updated", Tool($$"""{"status":"running","input":{{input}},"time":{"start":{{T0}} } }""", $"prt_{i}", "read"))]);
        }

        Feed(tracker, [Global("message.part.updated", Tool($$"""{"status":"completed","input":{"filePath":"/work/project/f3.cs"},"output":"x","title":"f3.cs","time":{"start":{{T0}},"end":{{T0 + 5}} } }""", "prt_3", "read"))]);

        Assert.That(
            tracker.Snapshot.ToolCalls.Select(c => $"{c.PartId} {c.Status} {c.KeyInput}"),
            Is.EqualTo(new[] { "prt_3 Completed /work/project/f3.cs", "prt_4 Running /work/project/f4.cs", "prt_5 Running /work/project/f5.cs" }));
    }

    [Test]
    public void A_failed_tool_call_keeps_its_error()
    {
        using AgentStateTracker tracker = NewTracker();

        Feed(tracker, [Global("message.part.updated", Tool($$"""{"status":"error","input":{"filePath":"/nope"},"error":"File not found: /nope","time":{"start":{{T0}},"end":{{T0 + 3}} } }""", tool: "read"))]);

        ToolCall call = tracker.Snapshot.ToolCalls.Single();
        Assert.That((call.Status, call.Error, call.KeyInput), Is.EqualTo((ToolCallStatus.Error, "File not found: /nope", "/nope")));
    }

    [Test]
    public void Events_of_other_sessions_are_ignored()
    {
        using AgentStateTracker tracker = NewTracker();

        Feed(tracker, [Global("session.status", """{"sessionID":"ses_other","status":{"type":"busy"}}""")]);

        Assert.That(tracker.Snapshot.Activity, Is.EqualTo(AgentActivity.Starting));
    }

    [Test]
    public void A_stored_event_replayed_from_the_store_updates_the_state()
    {
        using var fixture = new StoreFixture(o => o with { JournalDirectory = null });
        using AgentStateTracker tracker = NewTracker();
        foreach (string data in BashSession())
        {
            using OpencodeEvent parsed = OpencodeEventParser.Parse(Utf8(data));
            if (parsed.IsStored)
            {
                fixture.Store.Append(parsed.SessionId!, parsed.Type, parsed.PropertiesUtf8, clock.GetUtcNow());
            }
        }

        foreach (SessionEvent stored in fixture.Store.Read(Session, 0, 1000).Events)
        {
            tracker.Apply(stored);
        }

        Assert.Multiple(() =>
        {
            Assert.That(tracker.Snapshot.Outcome?.Kind, Is.EqualTo(SessionOutcomeKind.Succeeded));
            Assert.That(tracker.Snapshot.Tokens.Output, Is.EqualTo(28));
            Assert.That(tracker.Snapshot.LastText, Is.EqualTo("Done: created out.txt"));
        });
    }

    [TestCase("read", """{"filePath":"/a/b.cs","offset":1}""", "/a/b.cs")]
    [TestCase("edit", """{"filePath":"/a/b.cs","oldString":"x","newString":"y"}""", "/a/b.cs")]
    [TestCase("write", """{"content":"x","filePath":"/a/c.cs"}""", "/a/c.cs")]
    [TestCase("bash", """{"command":"dotnet test","description":"Run tests"}""", "dotnet test")]
    [TestCase("glob", """{"pattern":"**/*.cs","path":"/a"}""", "**/*.cs")]
    [TestCase("grep", """{"pattern":"TODO","include":"*.cs"}""", "TODO")]
    [TestCase("task", """{"description":"Review the diff","prompt":"…","subagent_type":"general"}""", "Review the diff")]
    [TestCase("skill", """{"name":"land-the-plane"}""", "land-the-plane")]
    [TestCase("webfetch", """{"url":"https://example.com","format":"text"}""", "https://example.com")]
    [TestCase("mcp_search", """{"limit":5,"query":"sse parser","description":"d"}""", "sse parser")]
    [TestCase("custom", """{"filePath":"","command":"  ","url":"u"}""", "u")]
    [TestCase("custom", """{"other":1}""", "")]
    [TestCase("bash", """{"command":42}""", "")]
    [TestCase("bash", "\"not an object\"", "")]
    [TestCase("bash", """{"command":"echo \u001b]0;pwned\u0007hi\nthere"}""", "echo hi there")]
    public void The_key_input_depends_on_the_tool(string tool, string input, string expected)
    {
        using var document = JsonDocument.Parse(input);

        Assert.That(ToolKeyInput.Extract(tool, document.RootElement), Is.EqualTo(expected));
    }

    private static string PermissionAsked(string id) =>
        $$"""{"id":"{{id}}","sessionID":"{{Session}}","permission":"external_directory","patterns":["/etc/*"],"metadata":{},"always":["/etc/*"],"tool":{"messageID":"{{ToolStep}}","callID":"call_8hY2kLmQ"} }""";

    private AgentStateTracker NewTracker(AgentStateTrackerOptions? options = null) =>
        new(Session, options ?? new AgentStateTrackerOptions(), clock, new RecordingLogger<AgentStateTracker>());

    private void Feed(AgentStateTracker tracker, IEnumerable<string> events)
    {
        foreach (string data in events)
        {
            using OpencodeEvent parsed = OpencodeEventParser.Parse(Utf8(data));
            tracker.Apply(parsed, clock.GetUtcNow());
        }
    }
}
