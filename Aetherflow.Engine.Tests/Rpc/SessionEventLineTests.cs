using System.Buffers;
using System.Text;
using System.Text.Json;
using Aetherflow.Engine.Rpc;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>
/// Which socket lines take the session.event shortcut past the JSON-RPC dispatcher: only well-formed notifications;
/// everything else keeps the dispatcher's replies and logging.
/// </summary>
public sealed class SessionEventLineTests
{
    [Test]
    public void A_session_event_notification_yields_its_params_object_as_sent()
    {
        const string Params = """{"seq":7,"directory":"/w","event":{"id":"evt_1","type":"session.idle","properties":{"sessionID":"ses_1"}}}""";

        bool taken = SessionEventLine.TryParse(Line($$"""{"jsonrpc":"2.0","method":"session.event","params":{{Params}}}"""), out JsonDocument? notification, out JsonElement parameters);

        using (notification)
        {
            Assert.That(taken, Is.True);
            Assert.That(parameters.GetRawText(), Is.EqualTo(Params));
        }
    }

    [Test]
    public void Member_order_whitespace_and_a_carriage_return_do_not_matter()
    {
        bool taken = SessionEventLine.TryParse(Line(" { \"params\" : {\"seq\":1} , \"method\":\"session.event\", \"extra\":[1,{\"a\":2}], \"jsonrpc\":\"2.0\" }\r"), out JsonDocument? notification, out JsonElement parameters);

        using (notification)
        {
            Assert.That(taken, Is.True);
            Assert.That(parameters.GetRawText(), Is.EqualTo("""{"seq":1}"""));
        }
    }

    [TestCase("""{"jsonrpc":"2.0","id":4,"method":"session.event","params":{"seq":1}}""", TestName = "A request (it has an id) is left to the dispatcher, which replies")]
    [TestCase("""{"jsonrpc":"2.0","method":"session.event","params":[42]}""", TestName = "Params that are not an object are left to the dispatcher, which logs them")]
    [TestCase("""{"jsonrpc":"2.0","method":"session.event"}""", TestName = "A notification without params is left to the dispatcher")]
    [TestCase("""{"jsonrpc":"2.0","method":"status.get","params":{}}""", TestName = "Other methods are left to the dispatcher")]
    [TestCase("""{"method":"session.event","params":{}}""", TestName = "A message without jsonrpc 2.0 is left to the dispatcher, which refuses it")]
    [TestCase("""{"jsonrpc":"2.0","method":"session.event","params":{"event":""", TestName = "Invalid JSON is left to the dispatcher, which replies with a parse error")]
    [TestCase("""{"jsonrpc":"2.0","method":"session.event","params":{}} {"x":1}""", TestName = "Two values on one line are left to the dispatcher, which refuses them")]
    [TestCase("""[{"jsonrpc":"2.0","method":"session.event","params":{}}]""", TestName = "A batch array is left to the dispatcher")]
    public void Anything_else_is_not_taken(string line)
    {
        bool taken = SessionEventLine.TryParse(Line(line), out JsonDocument? notification, out JsonElement parameters);

        Assert.That(taken, Is.False);
        Assert.That(notification, Is.Null);
        Assert.That(parameters.ValueKind, Is.EqualTo(JsonValueKind.Undefined));
    }

    [Test]
    public void A_line_split_across_buffers_is_read_whole()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"session.event","params":{"seq":12,"event":{"type":"x"}}}""");
        var first = new Segment(bytes.AsMemory(0, 40));
        Segment last = first.Append(bytes.AsMemory(40));

        bool taken = SessionEventLine.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out JsonDocument? notification, out JsonElement parameters);

        using (notification)
        {
            Assert.That(taken, Is.True);
            Assert.That(parameters.GetRawText(), Is.EqualTo("""{"seq":12,"event":{"type":"x"}}"""));
        }
    }

    private static ReadOnlySequence<byte> Line(string text) => new(Encoding.UTF8.GetBytes(text));

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
