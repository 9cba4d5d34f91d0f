using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Tests.Events;
using static Aetherflow.Engine.Tests.Opencode.Events.OpencodeSamples;

namespace Aetherflow.Engine.Tests.Opencode.Events;

public sealed class OpencodeBackfillTests
{
    [Test]
    public void The_message_list_becomes_message_and_part_events_of_the_session_in_order()
    {
        IReadOnlyList<OpencodeEvent> events = OpencodeBackfill.ToEvents(Session, Utf8(Messages()));
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(events.Select(e => e.Type), Is.EqualTo(new[]
                {
                    "message.updated", "message.part.updated",
                    "message.updated", "message.part.updated", "message.part.updated", "message.part.updated", "message.part.updated",
                    "message.updated", "message.part.updated", "message.part.updated", "message.part.updated",
                }));
                Assert.That(events.Select(e => e.SessionId), Is.All.EqualTo(Session));
                Assert.That(events.Select(e => e.IsBackfill), Is.All.True);
                Assert.That(events.Select(e => e.Kind), Is.All.EqualTo(OpencodeEventKind.Session));
                Assert.That(events[2].Properties.GetProperty("info").GetProperty("id").GetString(), Is.EqualTo(ToolStep));
                Assert.That(events[4].Properties.GetProperty("part").GetProperty("state").GetProperty("status").GetString(), Is.EqualTo("completed"));
                Assert.That(OpencodeEventParser.FindSessionId(events[0].Type, events[0].Properties), Is.EqualTo(Session), "parses like a live event");
            });
        }
        finally
        {
            Dispose(events);
        }
    }

    [Test]
    public void After_a_complete_live_session_the_backfill_adds_nothing()
    {
        var pipeline = new Pipeline();
        pipeline.Live(BashSession());
        long before = pipeline.LastSequence;

        int added = pipeline.Backfill(Messages());

        Assert.Multiple(() =>
        {
            Assert.That(added, Is.Zero);
            Assert.That(pipeline.LastSequence, Is.EqualTo(before));
        });
    }

    [Test]
    public void Backfilling_the_same_messages_twice_adds_them_once()
    {
        var pipeline = new Pipeline();

        int first = pipeline.Backfill(Messages());
        int second = pipeline.Backfill(Messages());

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(11));
            Assert.That(second, Is.Zero);
            Assert.That(pipeline.LastSequence, Is.EqualTo(11));
        });
    }

    [Test]
    public void A_final_state_missed_live_is_added_once_and_completes_the_agents_state()
    {
        var pipeline = new Pipeline();
        var live = BashSession().ToList();
        int completedTool = live.FindIndex(e => e.Contains("\"status\":\"completed\"", StringComparison.Ordinal));
        int lastMessage = live.FindLastIndex(e => e.Contains("\"finish\":\"stop\"", StringComparison.Ordinal));

        // The connection dropped twice: the tool's completed state and the final assistant messages never arrived.
        pipeline.Live(live.Where((_, i) => i != completedTool && i != lastMessage && i != lastMessage - 1));
        SessionOutcomeKind? before = pipeline.Tracker.Snapshot.Outcome?.Kind;
        ToolCallStatus toolBefore = pipeline.Tracker.Snapshot.ToolCalls.Single().Status;

        int added = pipeline.Backfill(Messages());
        int again = pipeline.Backfill(Messages());

        var stored = pipeline.Store.Read(Session, 0, 1000).Events;
        Assert.Multiple(() =>
        {
            Assert.That((before, toolBefore), Is.EqualTo(((SessionOutcomeKind?)SessionOutcomeKind.Incomplete, ToolCallStatus.Running)));
            Assert.That(added, Is.EqualTo(2), "the completed tool state and the completed final message");
            Assert.That(again, Is.Zero);
            Assert.That(pipeline.Tracker.Snapshot.Outcome?.Kind, Is.EqualTo(SessionOutcomeKind.Succeeded));
            Assert.That(pipeline.Tracker.Snapshot.ToolCalls.Single().Status, Is.EqualTo(ToolCallStatus.Completed));
            Assert.That(pipeline.Tracker.Snapshot.Tokens, Is.EqualTo(new TokenUsage(210, 28, 0, 100, 0)));
            Assert.That(stored.Count(e => e.Type == "message.part.updated" && e.Payload.Span.IndexOf("\"completed\""u8) >= 0), Is.EqualTo(1));
        });
    }

    [Test]
    public void After_a_restart_the_deduplicator_is_rebuilt_from_the_store()
    {
        using var fixture = new StoreFixture();
        var first = new Pipeline(fixture.Store);
        first.Live(BashSession());

        SessionEventStore restarted = fixture.Restart();
        var dedup = new OpencodeEventDeduplicator();
        foreach (SessionEvent stored in restarted.Read(Session, 0, 1000).Events)
        {
            dedup.Observe(stored);
        }

        var events = OpencodeBackfill.ToEvents(Session, Utf8(Messages()));
        try
        {
            Assert.That(events.Count(dedup.TryAdd), Is.Zero);
        }
        finally
        {
            Dispose(events);
        }
    }

    [Test]
    public void Messages_of_another_session_are_skipped()
    {
        string body = Messages().Replace(Session, "ses_someoneElse0000000000000", StringComparison.Ordinal);

        IReadOnlyList<OpencodeEvent> events = OpencodeBackfill.ToEvents(Session, Utf8(body));

        Assert.That(events, Is.Empty);
    }

    [TestCase("{\"info\":{}}")]
    [TestCase("[{\"info\":")]
    public void A_body_that_is_not_a_message_list_is_refused(string body) =>
        Assert.That(() => OpencodeBackfill.ToEvents(Session, Utf8(body)), Throws.InstanceOf<FormatException>());

    [TestCase("message.updated", """{"info":{"id":"msg_1","role":"assistant","time":{"created":1}}}""", "m|msg_1|open||")]
    [TestCase("message.updated", """{"info":{"id":"msg_1","role":"assistant","finish":"stop","time":{"created":1,"completed":2}}}""", "m|msg_1|done|stop|")]
    [TestCase("message.updated", """{"info":{"id":"msg_1","error":{"name":"APIError","data":{}},"time":{"created":1,"completed":2}}}""", "m|msg_1|done||APIError")]
    [TestCase("message.part.updated", """{"part":{"id":"prt_1","type":"tool","state":{"status":"running"}}}""", "p|prt_1|tool|running")]
    [TestCase("message.part.updated", """{"part":{"id":"prt_1","type":"text","text":"hello","time":{"start":1,"end":2}}}""", "p|prt_1|text|5|end")]
    [TestCase("message.part.updated", """{"part":{"id":"prt_1","type":"text","text":"","time":{"start":1}}}""", "p|prt_1|text|0|open")]
    [TestCase("message.part.updated", """{"part":{"id":"prt_1","type":"step-finish","reason":"stop"}}""", "p|prt_1|step-finish")]
    [TestCase("session.idle", """{"sessionID":"ses_a"}""", null)]
    public void Dedup_keys_identify_the_information_an_event_carries(string type, string properties, string? expected)
    {
        using var document = System.Text.Json.JsonDocument.Parse(properties);

        Assert.That(OpencodeDedupKey.For(type, document.RootElement), Is.EqualTo(expected));
    }

    private static void Dispose(IEnumerable<OpencodeEvent> events)
    {
        foreach (OpencodeEvent item in events)
        {
            item.Dispose();
        }
    }

    /// <summary>The engine's wiring in miniature: live events and backfill go through one deduplicator into one store and tracker.</summary>
    private sealed class Pipeline
    {
        private readonly OpencodeEventDeduplicator dedup = new();

        public Pipeline(SessionEventStore? store = null)
        {
            Store = store ?? new SessionEventStore(new SessionEventStoreOptions(), TimeProvider.System, new RecordingLogger<SessionEventStore>());
            Tracker = new AgentStateTracker(Session, new AgentStateTrackerOptions(), TimeProvider.System, new RecordingLogger<AgentStateTracker>());
        }

        public SessionEventStore Store { get; }

        public AgentStateTracker Tracker { get; }

        public long LastSequence => Store.GetLastSequence(Session);

        public void Live(IEnumerable<string> data)
        {
            foreach (string item in data)
            {
                using OpencodeEvent parsed = OpencodeEventParser.Parse(Utf8(item));
                if (parsed.SessionId != Session)
                {
                    continue;
                }

                dedup.TryAdd(parsed);
                Accept(parsed);
            }
        }

        public int Backfill(string body)
        {
            int added = 0;
            foreach (OpencodeEvent parsed in OpencodeBackfill.ToEvents(Session, Utf8(body)))
            {
                using (parsed)
                {
                    if (dedup.TryAdd(parsed))
                    {
                        Accept(parsed);
                        added++;
                    }
                }
            }

            return added;
        }

        private void Accept(OpencodeEvent parsed)
        {
            if (parsed.IsStored)
            {
                Store.Append(Session, parsed.Type, parsed.PropertiesUtf8, DateTimeOffset.UtcNow);
            }

            Tracker.Apply(parsed, DateTimeOffset.UtcNow);
        }
    }
}
