using System.Text;
using Aetherflow.Engine.Rpc;

namespace Aetherflow.Engine.Tests.Rpc;

public sealed class PluginEventLineTests
{
    private const string Params = """{"seq":42,"time":1,"dropped":0,"directory":"/w","event":{"id":"evt_1","type":"message.part.updated","properties":{"part":{"id":"prt_1","sessionID":"ses_abc","messageID":"msg_1","type":"tool","state":{"metadata":{"sessionID":"ses_child"}}}}}}""";

    [Test]
    public void A_line_framed_as_the_plugin_frames_it_gives_its_sequence_params_and_first_session()
    {
        byte[] line = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"session.event","params":""" + Params + "}\r");

        bool read = PluginEventLine.TryRead(line, out long sequence, out ReadOnlySpan<byte> parameters, out ReadOnlySpan<byte> session);
        (string Parameters, string Session) texts = (Encoding.UTF8.GetString(parameters), Encoding.UTF8.GetString(session));

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.True);
            Assert.That(sequence, Is.EqualTo(42));
            Assert.That(texts.Parameters, Is.EqualTo(Params));
            Assert.That(texts.Session, Is.EqualTo("ses_abc"), "the event's own session comes before anything nested");
        });
    }

    [TestCase("""{"jsonrpc":"2.0","method":"session.event","params":{"seq":1,"event":{"type":"x","properties":{"sessionID":"ses_a"}}},"id":7}""", TestName = "a request (it has an id and wants a reply)")]
    [TestCase("""{"method":"session.event","jsonrpc":"2.0","params":{"seq":1,"event":{"type":"x","properties":{"sessionID":"ses_a"}}}}""", TestName = "members in another order")]
    [TestCase("""{"jsonrpc":"2.0","method":"session.event","params":{"time":1,"seq":1,"event":{"type":"x","properties":{"sessionID":"ses_a"}}}}""", TestName = "no leading sequence number")]
    [TestCase("""{"jsonrpc":"2.0","method":"session.event","params":{"seq":1,"event":{"type":"af.plugin.loaded","source":"1-a"}}}""", TestName = "no session (the hello)")]
    [TestCase("""{"jsonrpc":"2.0","method":"session.event","params":{"seq":1,"event":{"type":"x","properties":{"sessionID":"ses\u005Fa"}}}}""", TestName = "an escaped session id")]
    [TestCase("""{"jsonrpc":"2.0","method":"session.event","params":{"seq":12345678901234567890,"event":{"type":"x","properties":{"sessionID":"ses_a"}}}}""", TestName = "a sequence number too large")]
    public void Any_other_line_is_left_to_the_ordinary_path(string text) =>
        Assert.That(PluginEventLine.TryRead(Encoding.UTF8.GetBytes(text), out _, out _, out _), Is.False);
}
