using System.Text;
using Aetherflow.Engine.Opencode.Events;
using static Aetherflow.Engine.Tests.Opencode.Events.OpencodeSamples;

namespace Aetherflow.Engine.Tests.Opencode.Events;

public sealed class OpencodeEventParserTests
{
    [Test]
    public void A_global_envelope_gives_type_id_directory_project_session_and_properties()
    {
        using OpencodeEvent parsed = Parse(Global("session.status", Status("""{"type":"busy"}""")));

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Type, Is.EqualTo("session.status"));
            Assert.That(parsed.Id, Does.StartWith("evt_"));
            Assert.That(parsed.Directory, Is.EqualTo(ProjectDirectory));
            Assert.That(parsed.Project, Is.EqualTo("global"));
            Assert.That(parsed.SessionId, Is.EqualTo(Session));
            Assert.That(parsed.Kind, Is.EqualTo(OpencodeEventKind.Session));
            Assert.That(parsed.Properties.GetProperty("status").GetProperty("type").GetString(), Is.EqualTo("busy"));
            Assert.That(Encoding.UTF8.GetString(parsed.PropertiesUtf8), Is.EqualTo(Status("""{"type":"busy"}""")));
        });
    }

    [Test]
    public void A_message_update_belongs_to_info_sessionID_not_to_info_id_which_is_the_message()
    {
        // The original plugin read info.id first and filed these under msg_… ids, losing tokens and cost.
        using OpencodeEvent parsed = Parse(Global("message.updated", Assistant(ToolStep, T0)));

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Properties.GetProperty("info").GetProperty("id").GetString(), Is.EqualTo(ToolStep));
            Assert.That(parsed.SessionId, Is.EqualTo(Session));
        });
    }

    [TestCase("session.created", """{"info":{"id":"ses_A","slug":"x","title":"t"}}""", "ses_A")]
    [TestCase("session.updated", """{"info":{"id":"ses_A","title":"t"}}""", "ses_A")]
    [TestCase("session.deleted", """{"sessionID":"ses_A","info":{"id":"ses_A"}}""", "ses_A")]
    [TestCase("message.updated", """{"info":{"id":"msg_M","sessionID":"ses_A","role":"user"}}""", "ses_A")]
    [TestCase("message.updated", """{"sessionID":"ses_A","info":{"id":"msg_M","sessionID":"ses_A"}}""", "ses_A")]
    [TestCase("message.part.updated", """{"part":{"id":"prt_P","messageID":"msg_M","sessionID":"ses_A","type":"text"}}""", "ses_A")]
    [TestCase("message.part.delta", """{"sessionID":"ses_A","messageID":"msg_M","partID":"prt_P","field":"text","delta":"x"}""", "ses_A")]
    [TestCase("session.status", """{"sessionID":"ses_A","status":{"type":"busy"}}""", "ses_A")]
    [TestCase("session.idle", """{"sessionID":"ses_A"}""", "ses_A")]
    [TestCase("session.error", """{"sessionID":"ses_A","error":{"name":"APIError","data":{"message":"boom"}}}""", "ses_A")]
    [TestCase("session.diff", """{"sessionID":"ses_A","diff":[]}""", "ses_A")]
    [TestCase("permission.asked", """{"id":"per_1","sessionID":"ses_A","permission":"external_directory","patterns":["/etc/*"],"metadata":{},"always":[]}""", "ses_A")]
    [TestCase("permission.replied", """{"sessionID":"ses_A","requestID":"per_1","reply":"once"}""", "ses_A")]
    [TestCase("todo.updated", """{"sessionID":"ses_A","todos":[]}""", "ses_A")]
    public void The_session_is_taken_from_the_field_that_holds_it_for_the_event_type(string type, string properties, string expected)
    {
        using OpencodeEvent parsed = Parse(Global(type, properties));

        Assert.That(parsed.SessionId, Is.EqualTo(expected));
    }

    [TestCase("message.part.delta", OpencodeEventKind.Transient)]
    [TestCase("session.diff", OpencodeEventKind.Transient)]
    [TestCase("session.next.text.delta", OpencodeEventKind.Transient)]
    [TestCase("message.part.updated", OpencodeEventKind.Session)]
    [TestCase("session.idle", OpencodeEventKind.Session)]
    public void Deltas_and_diffs_belong_to_the_session_but_are_not_stored(string type, OpencodeEventKind kind)
    {
        string properties = type == "message.part.updated"
            ? """{"part":{"id":"prt_P","sessionID":"ses_A","type":"text","text":""}}"""
            : """{"sessionID":"ses_A","partID":"prt_P","field":"text","delta":"x","diff":[]}""";

        using OpencodeEvent parsed = Parse(Global(type, properties));

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Kind, Is.EqualTo(kind));
            Assert.That(parsed.IsStored, Is.EqualTo(kind == OpencodeEventKind.Session));
            Assert.That(parsed.SessionId, Is.EqualTo("ses_A"));
        });
    }

    [TestCase("""{"directory":"/p","project":"global","payload":{"id":"evt_1","type":"file.watcher.updated","properties":{"file":"/p/a","event":"add"}}}""", OpencodeEventKind.Global)]
    [TestCase("""{"directory":"/p","project":"global","payload":{"id":"evt_1","type":"plugin.added","properties":{"id":"x"}}}""", OpencodeEventKind.Global)]
    [TestCase("""{"directory":"global","payload":{"id":"evt_1","type":"catalog.updated","properties":{}}}""", OpencodeEventKind.Global)]
    [TestCase("""{"directory":"/p","payload":{"id":"evt_1","type":"tui.session.select","properties":{"sessionID":"ses_A"}}}""", OpencodeEventKind.Global)]
    [TestCase("""{"payload":{"id":"evt_1","type":"server.connected","properties":{}}}""", OpencodeEventKind.Connection)]
    [TestCase("""{"payload":{"id":"evt_1","type":"server.heartbeat","properties":{}}}""", OpencodeEventKind.Connection)]
    [TestCase("""{"type":"af.plugin.loaded","pid":42,"directory":"/p","worktree":"/p","projectID":"global","serverUrl":"http://127.0.0.1:4096"}""", OpencodeEventKind.PluginHello)]
    public void Events_without_a_session_are_classified_and_have_no_session(string data, OpencodeEventKind kind)
    {
        using OpencodeEvent parsed = Parse(data);

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Kind, Is.EqualTo(kind));
            Assert.That(parsed.SessionId, Is.Null);
            Assert.That(parsed.IsStored, Is.False);
        });
    }

    [Test]
    public void The_event_and_plugin_forms_parse_like_the_global_envelope()
    {
        string payload = $$"""{"id":"evt_9","type":"session.idle","properties":{{Idle()}} }""";

        using OpencodeEvent bare = Parse(payload);
        using OpencodeEvent plugin = Parse($$"""{"directory":"{{ProjectDirectory}}","event":{{payload}} }""");

        Assert.Multiple(() =>
        {
            Assert.That((bare.Type, bare.SessionId, bare.Id, bare.Directory), Is.EqualTo(("session.idle", Session, "evt_9", (string?)null)));
            Assert.That((plugin.Type, plugin.SessionId, plugin.Id, plugin.Directory), Is.EqualTo(("session.idle", Session, "evt_9", ProjectDirectory)));
        });
    }

    [Test]
    public void A_sync_record_is_classified_with_its_aggregate_session_and_sequence()
    {
        string data = $$"""{"directory":"{{ProjectDirectory}}","project":"global","payload":{"type":"sync","id":"evt_s1","syncEvent":{"type":"message.updated.1","id":"evt_s1","seq":7,"aggregateID":"{{Session}}","data":{"sessionID":"{{Session}}","info":{"id":"{{ToolStep}}","sessionID":"{{Session}}","role":"assistant"} } } } }""";

        using OpencodeEvent parsed = Parse(data);

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Kind, Is.EqualTo(OpencodeEventKind.Sync));
            Assert.That(parsed.SessionId, Is.EqualTo(Session));
            Assert.That(parsed.SyncType, Is.EqualTo("message.updated.1"));
            Assert.That(parsed.SyncSequence, Is.EqualTo(7));
            Assert.That(parsed.IsStored, Is.False);
            Assert.That(parsed.Properties.GetProperty("info").GetProperty("id").GetString(), Is.EqualTo(ToolStep));
        });
    }

    [TestCase("not json", "not JSON")]
    [TestCase("[1,2]", "not a JSON object")]
    [TestCase("""{"payload":{"id":"evt_1","properties":{}}}""", "no event type")]
    [TestCase("""{"payload":{"id":"evt_1","type":"session.idle"}}""", "without a properties object")]
    [TestCase("""{"payload":{"type":"session.idle","properties":{"sessionID":"../../etc/passwd"}}}""", "invalid session id")]
    [TestCase("""{"payload":{"type":"message.updated","properties":{"info":{"id":"msg_1","sessionID":"ses a;rm"}}}}""", "invalid session id")]
    public void Data_that_is_not_a_usable_event_is_refused_with_a_reason(string data, string reason)
    {
        bool parsed = OpencodeEventParser.TryParse(Utf8(data), out OpencodeEvent? result, out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(result, Is.Null);
            Assert.That(error, Does.Contain(reason));
        });
    }

    [Test]
    public void In_a_whole_bash_session_every_session_event_is_filed_under_the_session()
    {
        var parsed = BashSession().Select(Parse).ToList();
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(parsed.Where(e => e.SessionId is not null).Select(e => e.SessionId).Distinct(), Is.EqualTo(new[] { Session }));
                Assert.That(parsed.Count(e => e.IsStored), Is.EqualTo(25));
                Assert.That(parsed.Where(e => e.Kind == OpencodeEventKind.Transient).Select(e => e.Type), Is.EqualTo(new[] { "session.diff", "message.part.delta", "message.part.delta" }));
                Assert.That(parsed.Count(e => e.Kind == OpencodeEventKind.Global), Is.EqualTo(3));
                Assert.That(parsed.Count(e => e.Kind == OpencodeEventKind.Connection), Is.EqualTo(2));
            });
        }
        finally
        {
            parsed.ForEach(e => e.Dispose());
        }
    }

    private static OpencodeEvent Parse(string data) => OpencodeEventParser.Parse(Utf8(data));

    [Test]
    public void Events_parsed_with_one_string_cache_share_their_session_id_instance()
    {
        var strings = new Aetherflow.Engine.Text.JsonStringCache();
        Assert.That(OpencodeEventParser.TryParse(Utf8(Global("session.status", Status("""{"type":"busy"}"""))), strings, out OpencodeEvent? first, out _), Is.True);
        Assert.That(OpencodeEventParser.TryParse(Utf8(Global("session.idle", Status("""{"type":"idle"}"""))), strings, out OpencodeEvent? second, out _), Is.True);
        using (first)
        using (second)
        {
            Assert.That(second!.SessionId, Is.EqualTo(Session).And.SameAs(first!.SessionId));
        }
    }
}
