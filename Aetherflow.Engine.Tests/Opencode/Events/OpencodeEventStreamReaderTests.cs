using System.IO.Pipes;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Tests.Events;
using Aetherflow.Engine.Tests.Support;
using static Aetherflow.Engine.Tests.Opencode.Events.OpencodeSamples;

namespace Aetherflow.Engine.Tests.Opencode.Events;

public sealed class OpencodeEventStreamReaderTests
{
    [Test]
    public async Task A_stream_delivered_a_few_bytes_at_a_time_yields_every_event_in_order()
    {
        IReadOnlyList<string> sent = BashSession();
        using var stream = new TrickleStream(Utf8(ToSse(sent)), chunk: 7);

        List<string> types = await ReadTypes(stream);

        Assert.That(types, Is.EqualTo(sent.Select(d => Parse(d))));
    }

    [Test]
    public async Task Comments_blank_lines_and_CRLF_are_handled_and_data_lines_are_joined()
    {
        string sse =
            ": connected\r\n\r\n" +
            "retry: 1000\r\n" +
            "data: {\"payload\":{\"id\":\"evt_1\",\r\n" +
            "data:  \"type\":\"session.idle\",\"properties\":" + Idle() + "}}\r\n\r\n" +
            ":heartbeat\n\n" +
            "event: message\nid: 42\ndata: " + Global("session.status", Status("{\"type\":\"busy\"}")) + "\n\n";
        using var stream = new MemoryStream(Utf8(sse));

        var reader = new OpencodeEventStreamReader(new RecordingLogger<OpencodeEventStreamReader>());
        var types = new List<string>();
        await foreach (OpencodeEvent item in reader.ReadAllAsync(stream, CancellationToken.None))
        {
            using (item)
            {
                types.Add($"{item.Type} {item.SessionId}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(types, Is.EqualTo(new[] { $"session.idle {Session}", $"session.status {Session}" }));
            Assert.That(reader.LastEventId, Is.EqualTo("42"));
            Assert.That(reader.MalformedEvents, Is.Zero);
        });
    }

    [Test]
    public async Task Data_that_is_not_an_event_is_skipped_counted_and_logged_and_reading_goes_on()
    {
        var logger = new RecordingLogger<OpencodeEventStreamReader>();
        var reader = new OpencodeEventStreamReader(logger);
        string sse = "data: {not json\u001b[31m\n\n" + "data: " + Global("session.idle", Idle()) + "\n\n";
        using var stream = new MemoryStream(Utf8(sse));

        var types = new List<string>();
        await foreach (OpencodeEvent item in reader.ReadAllAsync(stream, CancellationToken.None))
        {
            using (item)
            {
                types.Add(item.Type);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(types, Is.EqualTo(new[] { "session.idle" }));
            Assert.That(reader.MalformedEvents, Is.EqualTo(1));
            Assert.That(logger.Warnings.Single(), Does.Contain("{not json").And.Not.Contain("\u001b"));
        });
    }

    [Test]
    public async Task Over_a_real_pipe_an_event_is_yielded_as_soon_as_its_blank_line_arrives()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var reader = new OpencodeEventStreamReader(new RecordingLogger<OpencodeEventStreamReader>());
        await using IAsyncEnumerator<OpencodeEvent> events = reader.ReadAllAsync(client, CancellationToken.None).GetAsyncEnumerator();

        string data = Global("session.status", Status("""{"type":"busy"}"""));
        await server.WriteAsync(Utf8("data: " + data[..40]));
        await server.FlushAsync();
        ValueTask<bool> next = events.MoveNextAsync();
        await server.WriteAsync(Utf8(data[40..] + "\n"));
        await server.FlushAsync();
        Assert.That(next.IsCompleted, Is.False, "the event is not complete before its blank line");
        await server.WriteAsync(Utf8("\n"));
        await server.FlushAsync();

        Assert.That(await Eventually.WithinAsync(next.AsTask(), "the event"), Is.True);
        using (events.Current)
        {
            Assert.That(events.Current.Type, Is.EqualTo("session.status"));
        }

        server.Dispose();
        Assert.That(await Eventually.WithinAsync(events.MoveNextAsync().AsTask(), "the end of the stream"), Is.False);
    }

    private static async Task<List<string>> ReadTypes(Stream stream)
    {
        var reader = new OpencodeEventStreamReader(new RecordingLogger<OpencodeEventStreamReader>());
        var types = new List<string>();
        await foreach (OpencodeEvent item in reader.ReadAllAsync(stream, CancellationToken.None))
        {
            using (item)
            {
                types.Add(item.Type);
            }
        }

        return types;
    }

    private static string Parse(string data)
    {
        using OpencodeEvent parsed = OpencodeEventParser.Parse(Utf8(data));
        return parsed.Type;
    }

    /// <summary>A read-only stream that hands out at most <c>chunk</c> bytes per read, splitting lines and UTF-8 sequences.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - position);
            data.AsSpan(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
