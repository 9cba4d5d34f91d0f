using System.Text.Json;
using Aetherflow.Engine.Opencode.Events;
using static Aetherflow.Engine.Tests.Opencode.Events.OpencodeSamples;

namespace Aetherflow.Engine.Tests.Opencode.Events;

public sealed class OpencodeEventDeduplicatorTests
{
    [Test]
    public void The_same_event_from_the_stream_and_from_the_plugin_is_kept_once_by_its_id()
    {
        var dedup = new OpencodeEventDeduplicator();
        string properties = "{\"sessionID\":\"" + Session + "\",\"status\":{\"type\":\"busy\"}}";
        using OpencodeEvent streamed = OpencodeEventParser.Parse(Utf8("{\"directory\":\"/d\",\"project\":\"global\",\"payload\":{\"id\":\"evt_1\",\"type\":\"session.status\",\"properties\":" + properties + "}}"));
        using OpencodeEvent pushed = OpencodeEventParser.Parse(Utf8("{\"seq\":7,\"directory\":\"/d\",\"event\":{\"id\":\"evt_1\",\"type\":\"session.status\",\"properties\":" + properties + "}}"));
        using OpencodeEvent later = OpencodeEventParser.Parse(Utf8("{\"seq\":8,\"directory\":\"/d\",\"event\":{\"id\":\"evt_2\",\"type\":\"session.status\",\"properties\":" + properties + "}}"));

        Assert.That(dedup.TryAdd(streamed), Is.True);
        Assert.That(dedup.TryAdd(pushed), Is.False, "same id");
        Assert.That(dedup.TryAdd(later), Is.True, "the same content under a new id is a new event (a second busy status)");
    }

    [Test]
    public void A_repeated_state_is_still_recognised_by_content_when_ids_differ()
    {
        var dedup = new OpencodeEventDeduplicator();
        string part = Tool("""{"status":"completed","input":{},"output":"","time":{"start":1,"end":2}}""");
        using OpencodeEvent live = OpencodeEventParser.Parse(Utf8("{\"id\":\"evt_a\",\"type\":\"message.part.updated\",\"properties\":" + part + "}"));
        using OpencodeEvent again = OpencodeEventParser.Parse(Utf8("{\"id\":\"evt_b\",\"type\":\"message.part.updated\",\"properties\":" + part + "}"));

        Assert.That(dedup.TryAdd(live), Is.True);
        Assert.That(dedup.TryAdd(again), Is.False);
    }

    [Test]
    public void An_event_with_a_content_key_is_remembered_by_that_key_alone_and_still_kept_once()
    {
        var dedup = new OpencodeEventDeduplicator();
        string part = Tool("""{"status":"running","input":{},"time":{"start":1}}""");
        using OpencodeEvent streamed = OpencodeEventParser.Parse(Utf8("{\"directory\":\"/d\",\"payload\":{\"id\":\"evt_9\",\"type\":\"message.part.updated\",\"properties\":" + part + "}}"));
        using OpencodeEvent pushed = OpencodeEventParser.Parse(Utf8("{\"seq\":3,\"directory\":\"/d\",\"event\":{\"id\":\"evt_9\",\"type\":\"message.part.updated\",\"properties\":" + part + "}}"));

        Assert.That(dedup.TryAdd(streamed), Is.True);
        Assert.That(dedup.Count, Is.EqualTo(1), "one key per event: its content, not its id as well");
        Assert.That(dedup.TryAdd(pushed), Is.False, "the copy from the plugin is recognised by its content");
    }

    [Test]
    public void The_same_state_is_recognised_whatever_its_JSON_escaping()
    {
        // The messages API and the live stream may escape differently; the key is made of the values, not the bytes.
        var dedup = new OpencodeEventDeduplicator();
        using JsonDocument plain = JsonDocument.Parse("""{"part":{"id":"prt_1","type":"text","text":"héllo \"you\"","time":{"end":2}}}""");
        using JsonDocument escaped = JsonDocument.Parse("""{"part":{"id":"prt\u005F1","type":"te\u0078t","text":"h\u00e9llo \u0022you\u0022","time":{"end":2}}}""");
        using JsonDocument longer = JsonDocument.Parse("""{"part":{"id":"prt_1","type":"text","text":"héllo \"you\"!","time":{"end":2}}}""");

        Assert.Multiple(() =>
        {
            Assert.That(OpencodeDedupKey.For("message.part.updated", escaped.RootElement), Is.EqualTo("p|prt_1|text|11|end"));
            Assert.That(dedup.TryAdd("message.part.updated", plain.RootElement), Is.True);
            Assert.That(dedup.TryAdd("message.part.updated", escaped.RootElement), Is.False, "same values, other escaping");
            Assert.That(dedup.TryAdd("message.part.updated", longer.RootElement), Is.True, "the text grew");
        });
    }

    [Test]
    public void Keys_longer_than_the_stack_buffer_are_kept_apart()
    {
        var dedup = new OpencodeEventDeduplicator();
        string id = "prt_" + new string('a', 400);
        using JsonDocument first = JsonDocument.Parse("{\"part\":{\"id\":\"" + id + "1\",\"type\":\"tool\",\"state\":{\"status\":\"running\"}}}");
        using JsonDocument second = JsonDocument.Parse("{\"part\":{\"id\":\"" + id + "2\",\"type\":\"tool\",\"state\":{\"status\":\"running\"}}}");

        Assert.Multiple(() =>
        {
            Assert.That(OpencodeDedupKey.For("message.part.updated", first.RootElement), Is.EqualTo($"p|{id}1|tool|running"));
            Assert.That(dedup.TryAdd("message.part.updated", first.RootElement), Is.True);
            Assert.That(dedup.TryAdd("message.part.updated", second.RootElement), Is.True);
            Assert.That(dedup.TryAdd("message.part.updated", first.RootElement), Is.False);
        });
    }
}
