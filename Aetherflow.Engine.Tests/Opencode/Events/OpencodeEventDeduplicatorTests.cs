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
}
