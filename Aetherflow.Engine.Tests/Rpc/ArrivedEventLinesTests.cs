using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Aetherflow.Engine.Rpc;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>
/// What a just-accepted connection has already sent is taken on the accepting thread: leading session.event lines go
/// to the sink; the connection is done there only when its peer has closed and sent nothing else. Real Unix sockets.
/// </summary>
public sealed class ArrivedEventLinesTests : IDisposable
{
    private const string Event1 = """{"jsonrpc":"2.0","method":"session.event","params":{"seq":1}}""";
    private const string Event2 = """{"jsonrpc":"2.0","method":"session.event","params":{"seq":2}}""";
    private const string Request = """{"jsonrpc":"2.0","id":1,"method":"status.get"}""";
    private readonly string directory = Directory.CreateTempSubdirectory("af-arrived-").FullName;
    private readonly Socket listener;

    public ArrivedEventLinesTests()
    {
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(directory, "s.sock")));
        listener.Listen(8);
    }

    public void Dispose()
    {
        listener.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public void Events_sent_by_a_peer_that_has_left_are_all_taken()
    {
        using Socket accepted = Connect(Event1 + "\n\n" + Event2 + "\n", close: true);
        var sink = new RecordingSink();

        bool done = new ArrivedEventLines(64 * 1024).TryTakeAll(accepted, sink, out byte[] rest);

        Assert.Multiple(() =>
        {
            Assert.That(done, Is.True);
            Assert.That(rest, Is.Empty);
            Assert.That(sink.Taken, Is.EqualTo(new[] { """{"seq":1}""", """{"seq":2}""" }));
            Assert.That(sink.Flushes, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_last_event_without_its_newline_is_taken_once_the_peer_has_left()
    {
        using Socket accepted = Connect(Event1 + "\r\n" + Event2, close: true);
        var sink = new RecordingSink();

        bool done = new ArrivedEventLines(64 * 1024).TryTakeAll(accepted, sink, out _);

        Assert.That(done, Is.True);
        Assert.That(sink.Taken, Is.EqualTo(new[] { """{"seq":1}""", """{"seq":2}""" }));
    }

    [Test]
    public void Events_before_a_request_are_taken_and_the_request_is_left_for_the_read_loop()
    {
        using Socket accepted = Connect(Event1 + "\n" + Request + "\n" + Event2 + "\n", close: true);
        var sink = new RecordingSink();

        bool done = new ArrivedEventLines(64 * 1024).TryTakeAll(accepted, sink, out byte[] rest);

        Assert.Multiple(() =>
        {
            Assert.That(done, Is.False);
            Assert.That(sink.Taken, Is.EqualTo(new[] { """{"seq":1}""" }));
            Assert.That(sink.Flushes, Is.EqualTo(1), "taken events are published before the request is handled");
            Assert.That(Encoding.UTF8.GetString(rest), Is.EqualTo(Request + "\n" + Event2 + "\n"));
        });
    }

    [Test]
    public void A_peer_still_connected_leaves_its_unfinished_line_and_the_socket_to_the_read_loop()
    {
        using Socket accepted = Connect(Event1 + "\n" + Event2[..20], close: false, out Socket peer);
        using (peer)
        {
            var sink = new RecordingSink();

            bool done = new ArrivedEventLines(64 * 1024).TryTakeAll(accepted, sink, out byte[] rest);

            Assert.Multiple(() =>
            {
                Assert.That(done, Is.False);
                Assert.That(sink.Taken, Is.EqualTo(new[] { """{"seq":1}""" }));
                Assert.That(Encoding.UTF8.GetString(rest), Is.EqualTo(Event2[..20]));
                Assert.That(accepted.Blocking, Is.True, "the read loop gets the socket as it was");
            });

            // The rest of the line arrives later and is read from the socket after the bytes already taken.
            peer.Send(Encoding.UTF8.GetBytes(Event2[20..] + "\n"));
            peer.Shutdown(SocketShutdown.Send);
            using var stream = new PrefixedStream(rest, new NetworkStream(accepted, ownsSocket: false));
            Assert.That(new StreamReader(stream).ReadToEnd(), Is.EqualTo(Event2 + "\n"));
        }
    }

    [Test]
    public void A_connection_that_sent_nothing_yet_is_left_as_it_is()
    {
        using Socket accepted = Connect(string.Empty, close: false, out Socket peer);
        using (peer)
        {
            var sink = new RecordingSink();

            bool done = new ArrivedEventLines(64 * 1024).TryTakeAll(accepted, sink, out byte[] rest);

            Assert.That((done, rest.Length, sink.Taken.Count), Is.EqualTo((false, 0, 0)));
        }
    }

    [Test]
    public void More_than_the_buffer_holds_is_left_to_the_read_loop_from_the_first_line_not_taken()
    {
        string events = string.Concat(Enumerable.Repeat(Event1 + "\n", 10));
        using Socket accepted = Connect(events, close: true);
        var sink = new RecordingSink();

        // Room for two and a half lines.
        bool done = new ArrivedEventLines((Event1.Length + 1) * 5 / 2).TryTakeAll(accepted, sink, out byte[] rest);

        Assert.Multiple(() =>
        {
            Assert.That(done, Is.False);
            Assert.That(sink.Taken, Has.Count.EqualTo(2));
            Assert.That(Encoding.UTF8.GetString(rest), Is.EqualTo(Event1[..((Event1.Length + 1) / 2)]));
        });
    }

    private Socket Connect(string sent, bool close)
    {
        Socket accepted = Connect(sent, close, out Socket peer);
        peer.Dispose();
        return accepted;
    }

    private Socket Connect(string sent, bool close, out Socket peer)
    {
        peer = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        peer.Connect(listener.LocalEndPoint!);
        if (sent.Length > 0)
        {
            peer.Send(Encoding.UTF8.GetBytes(sent));
        }

        if (close)
        {
            peer.Shutdown(SocketShutdown.Send);
        }

        return listener.Accept();
    }

    private sealed class RecordingSink : ISessionEventSink
    {
        public List<string> Taken { get; } = [];

        public int Flushes { get; private set; }

        public void Accept(JsonDocument notification, JsonElement parameters)
        {
            using (notification)
            {
                Taken.Add(parameters.GetRawText());
            }
        }

        public void Flush() => Flushes++;

        // The accepting thread never hands lines to a second thread.
        public EventLineRoute Route(ReadOnlyMemory<byte> line, bool burst) => throw new AssertionException("lines taken on arrival are not routed");

        public ValueTask WhenTakenHandledAsync() => ValueTask.CompletedTask;
    }
}
