using System.Text.Json;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tests.Text;

public sealed class JsonStringCacheTests
{
    [Test]
    public void A_value_seen_again_is_the_same_string_instance()
    {
        var cache = new JsonStringCache();
        using JsonDocument first = JsonDocument.Parse("""{"sessionID":"ses_abc"}""");
        using JsonDocument second = JsonDocument.Parse("""{"other":1,"sessionID":"ses_abc"}""");

        string a = cache.Get(first.RootElement.GetProperty("sessionID"));
        string b = cache.Get(second.RootElement.GetProperty("sessionID"));

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo("ses_abc"));
            Assert.That(b, Is.SameAs(a));
        });
    }

    [Test]
    public void Escaped_and_long_values_are_decoded_and_not_confused_with_others()
    {
        var cache = new JsonStringCache();
        string longValue = new('x', JsonStringCache.MaxCachedBytes + 1);
        using JsonDocument document = JsonDocument.Parse($$"""{"plain":"a_b","escaped":"a\u005Fb","quote":"say \"hi\"","long":"{{longValue}}","wide":"héllo"}""");
        JsonElement root = document.RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(cache.Get(root.GetProperty("plain")), Is.EqualTo("a_b"));
            Assert.That(cache.Get(root.GetProperty("escaped")), Is.EqualTo("a_b"));
            Assert.That(cache.Get(root.GetProperty("quote")), Is.EqualTo("say \"hi\""));
            Assert.That(cache.Get(root.GetProperty("long")), Is.EqualTo(longValue));
            string wide = cache.Get(root.GetProperty("wide"));
            Assert.That(wide, Is.EqualTo("héllo"));
            Assert.That(cache.Get(root.GetProperty("wide")), Is.SameAs(wide));
        });
    }

    [Test]
    public void A_full_table_still_returns_every_value_right()
    {
        // One slot: every new value evicts the previous one.
        var cache = new JsonStringCache(slots: 1);
        using JsonDocument document = JsonDocument.Parse("""["ses_1","ses_2","ses_1","ses_2"]""");

        string[] values = [.. document.RootElement.EnumerateArray().Select(cache.Get)];

        Assert.That(values, Is.EqualTo(new[] { "ses_1", "ses_2", "ses_1", "ses_2" }));
    }

    [Test]
    public void Property_reads_only_string_members_of_objects()
    {
        var cache = new JsonStringCache();
        using JsonDocument document = JsonDocument.Parse("""{"id":"prt_1","n":5}""");

        Assert.Multiple(() =>
        {
            Assert.That(cache.Property(document.RootElement, "id"u8), Is.EqualTo("prt_1"));
            Assert.That(cache.Property(document.RootElement, "n"u8), Is.Null);
            Assert.That(cache.Property(document.RootElement, "missing"u8), Is.Null);
            Assert.That(cache.Property(document.RootElement.GetProperty("n"), "id"u8), Is.Null);
            Assert.That(() => cache.Get(document.RootElement.GetProperty("n")), Throws.ArgumentException);
            Assert.That(() => new JsonStringCache(slots: 3), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
