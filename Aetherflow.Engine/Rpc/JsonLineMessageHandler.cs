using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Newline-delimited JSON-RPC framing (LF on write; LF or CRLF on read) that survives bad input: a line that is not a
/// JSON-RPC message gets a parse-error reply and the connection carries on, and a line longer than the frame limit gets
/// an error reply and closes the connection, so one bad client cannot make the engine buffer without bound. A client
/// that sends its requests and then closes its side (<c>echo … | socat</c>) still gets every reply before the
/// connection ends.
/// </summary>
internal sealed class JsonLineMessageHandler : PipeMessageHandler
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(30);
    private readonly int maxFrameBytes;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private int unanswered;
    private int answeredSinceFlush;
    private TaskCompletionSource? allAnswered;

    // Reads take up to this much at a time: a burst of plugin events (≈ 450 bytes each) is handled, journaled and
    // published as one batch per read, so a small buffer would mean small batches (64 KiB measured about 7% slower).
    private const int ReadBufferBytes = 256 * 1024;

    // A read with this much still unhandled is a burst: its session events go to the sink's lanes (PluginEventSink).
    private const int BurstBytes = 16 * 1024;
    private readonly Stream stream;

    public JsonLineMessageHandler(Stream stream, IJsonRpcMessageTextFormatter formatter, int maxFrameBytes, TimeProvider time)
        : base(PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)), PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferBytes, minimumReadSize: ReadBufferBytes / 4, leaveOpen: true)), formatter)
    {
        this.stream = stream;
        if (formatter.Encoding.WebName != Encoding.UTF8.WebName)
        {
            throw new NotSupportedException("Only UTF-8 formatters are supported.");
        }

        this.maxFrameBytes = maxFrameBytes;
        this.time = time;
    }

    /// <summary>
    /// Takes the params of each well-formed <c>session.event</c> notification straight from the read loop, in the order
    /// the lines arrived, instead of a JSON-RPC dispatch per event (the plugin streams thousands of them a second), and
    /// is flushed whenever the loop has no complete line left to read or hands on another message — so the events of
    /// one burst are journaled and published together. Null sends them through the dispatcher like every other message.
    /// </summary>
    public ISessionEventSink? SessionEvents { get; set; }

    private new IJsonRpcMessageTextFormatter Formatter => (IJsonRpcMessageTextFormatter)base.Formatter;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // The pipes leave the socket open; it closes once both directions are done with it.
            stream.Dispose();
        }
    }

    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Formatter.Serialize(Writer!, content);
        Writer!.Write(NewLine);
        if (content is JsonRpcResult { RequestId.IsNull: false } or JsonRpcError { RequestId.IsNull: false, RequestId.IsEmpty: false })
        {
            Interlocked.Increment(ref answeredSinceFlush);
        }
    }

    // A reply counts as given once it is flushed to the socket.
    protected override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await base.FlushAsync(cancellationToken).ConfigureAwait(false);
        int answered = Interlocked.Exchange(ref answeredSinceFlush, 0);
        if (answered > 0)
        {
            lock (gate)
            {
                unanswered -= answered;
                if (unanswered <= 0)
                {
                    allAnswered?.TrySetResult();
                }
            }
        }
    }

    /// <summary>
    /// Takes the <c>session.event</c> notifications a connection starts with (and blank lines) straight to
    /// <see cref="SessionEvents"/>, without a JSON-RPC dispatcher: a plugin that only pushes events never needs one.
    /// Returns false when the connection ended with nothing else (the events are flushed); true when another message
    /// is next — it is left unread, for the dispatcher to read through <see cref="ReadCoreAsync"/>.
    /// </summary>
    public async ValueTask<bool> ReadSessionEventsAsync(CancellationToken cancellationToken)
    {
        if (SessionEvents is null)
        {
            return true;
        }

        (_, bool otherWaiting) = await ReadMessageAsync(eventsOnly: true, cancellationToken).ConfigureAwait(false);
        await FlushSessionEventsAsync().ConfigureAwait(false);
        return otherWaiting;
    }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        (JsonRpcMessage? message, _) = await ReadMessageAsync(eventsOnly: false, cancellationToken).ConfigureAwait(false);

        // Events read before this message (or before the connection ended) are published before it is handled.
        await FlushSessionEventsAsync().ConfigureAwait(false);
        return message;
    }

    /// <summary>
    /// Reads up to the next message that is not a <c>session.event</c> notification (those go to
    /// <see cref="SessionEvents"/> as they are read). With <paramref name="eventsOnly"/>, that message is left unread
    /// and reported as waiting instead of being parsed (or answered, when it is bad).
    /// </summary>
    private async ValueTask<(JsonRpcMessage? Message, bool OtherWaiting)> ReadMessageAsync(bool eventsOnly, CancellationToken cancellationToken)
    {
        PipeReader reader = Reader!;
        bool needMore = true;
        while (true)
        {
            // A pipe hands back buffered bytes until they are consumed, examined or not: only after a whole line was
            // consumed can there be another one without waiting.
            if (needMore || !reader.TryRead(out ReadResult read))
            {
                // Nothing more to take right now: publish the events read so far before waiting (a lane that took some
                // publishes its own when it runs out of them).
                SessionEvents?.Flush();
                read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            needMore = false;
            ReadOnlySequence<byte> buffer = read.Buffer;
            SequencePosition? lf = buffer.PositionOf((byte)'\n');
            if (lf is null)
            {
                if (buffer.Length > maxFrameBytes)
                {
                    if (eventsOnly)
                    {
                        reader.AdvanceTo(buffer.Start);
                        return (null, true);
                    }

                    reader.AdvanceTo(buffer.End);
                    await ReplyErrorAsync(RpcErrorCodes.FrameTooLarge, $"frame larger than {maxFrameBytes} bytes; connection closed", cancellationToken).ConfigureAwait(false);
                    return (null, false);
                }

                if (read.IsCompleted)
                {
                    // The peer closed its side. A trailing message without a newline is still served (after the events
                    // before it), and the connection ends only once every request read has its reply.
                    await WhenTakenEventsHandledAsync().ConfigureAwait(false);
                    if (buffer.Length == 0 || IsBlank(buffer) || (eventsOnly && TryTakeSessionEvent(buffer)))
                    {
                        reader.AdvanceTo(buffer.End);
                        if (!eventsOnly)
                        {
                            await WaitForAnswersAsync(cancellationToken).ConfigureAwait(false);
                        }

                        return (null, false);
                    }

                    if (eventsOnly)
                    {
                        reader.AdvanceTo(buffer.Start);
                        return (null, true);
                    }

                    JsonRpcMessage? last;
                    try
                    {
                        last = await DeserializeOrReplyAsync(buffer, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        // Only now: the buffer's memory belongs to the pipe again once it is advanced past.
                        reader.AdvanceTo(buffer.End);
                    }

                    if (last is null)
                    {
                        await WaitForAnswersAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return (last, false);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                needMore = true;
                continue;
            }

            ReadOnlySequence<byte> line = buffer.Slice(0, lf.Value);
            bool tooLarge = line.Length > maxFrameBytes;
            if (!tooLarge && !IsBlank(line) && await TryHandOverAsync(line, burst: buffer.Length >= BurstBytes).ConfigureAwait(false))
            {
                reader.AdvanceTo(buffer.GetPosition(1, lf.Value));
                continue;
            }

            if (eventsOnly && (tooLarge || !(IsBlank(line) || TryTakeSessionEvent(line))))
            {
                reader.AdvanceTo(buffer.Start);
                return (null, true);
            }

            JsonRpcMessage? message = null;
            try
            {
                if (tooLarge)
                {
                    await ReplyErrorAsync(RpcErrorCodes.FrameTooLarge, $"frame larger than {maxFrameBytes} bytes; connection closed", cancellationToken).ConfigureAwait(false);
                }
                else if (!eventsOnly && !IsBlank(line))
                {
                    message = await DeserializeOrReplyAsync(line, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.GetPosition(1, lf.Value));
            }

            if (tooLarge)
            {
                return (null, false);
            }

            if (message is not null)
            {
                return (message, false);
            }
        }
    }

    // Offers the line to the sink, which may take it (to handle on one of its lanes): true when it did.
    // Otherwise the line is handled here, after the lines taken before it when the sink says it must wait for them.
    private async ValueTask<bool> TryHandOverAsync(ReadOnlySequence<byte> line, bool burst)
    {
        if (SessionEvents is not { } events)
        {
            return false;
        }

        // A line across two of the pipe's segments (about one per read) is copied to be looked at.
        EventLineRoute route = events.Route(line.IsSingleSegment ? line.First : line.ToArray(), burst);
        if (route is EventLineRoute.AfterTaken or EventLineRoute.TakenFull)
        {
            await events.WhenTakenHandledAsync().ConfigureAwait(false);
        }

        return route is EventLineRoute.Taken or EventLineRoute.TakenFull;
    }

    private ValueTask WhenTakenEventsHandledAsync() => SessionEvents?.WhenTakenHandledAsync() ?? ValueTask.CompletedTask;

    // Every event read so far is journaled and published: those handed to the lanes, then the read loop's own.
    private async ValueTask FlushSessionEventsAsync()
    {
        if (SessionEvents is { } events)
        {
            await events.WhenTakenHandledAsync().ConfigureAwait(false);
            events.Flush();
        }
    }

    private async Task WaitForAnswersAsync(CancellationToken cancellationToken)
    {
        Task answered;
        lock (gate)
        {
            if (unanswered <= 0)
            {
                return;
            }

            allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            answered = allAnswered.Task;
        }

        try
        {
            await answered.WaitAsync(AnswerGrace, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A request that takes this long after its client left is abandoned with the connection.
        }
    }

    private async ValueTask<JsonRpcMessage?> DeserializeOrReplyAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        if (TryTakeSessionEvent(line))
        {
            return null;
        }

        string? problem = Check(line);
        if (problem is null)
        {
            try
            {
                JsonRpcMessage message = Formatter.Deserialize(line);
                if (message is JsonRpcRequest { IsResponseExpected: true })
                {
                    lock (gate)
                    {
                        unanswered++;
                    }
                }

                return message;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
            {
                problem = $"not a valid JSON-RPC 2.0 message: {ex.Message.Split('\n')[0]}";
            }
        }

        await ReplyErrorAsync(problem.StartsWith("invalid JSON", StringComparison.Ordinal) ? RpcErrorCodes.ParseError : RpcErrorCodes.InvalidRequest, problem, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private bool TryTakeSessionEvent(ReadOnlySequence<byte> line)
    {
        if (SessionEvents is { } sessionEvents && SessionEventLine.TryParse(line, out JsonDocument? notification, out JsonElement parameters))
        {
            sessionEvents.Accept(notification, parameters);
            return true;
        }

        return false;
    }

    // Parse once with the fast reader to tell "not JSON" from "JSON but not a request" before the formatter sees it.
    private static string? Check(ReadOnlySequence<byte> line)
    {
        try
        {
            var json = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return "invalid request: each line must be one JSON object";
            }

            json.Skip();
            return json.Read() ? "invalid JSON: more than one value on the line" : null;
        }
        catch (JsonException ex)
        {
            return $"invalid JSON: {ex.Message.Split('\n')[0]}";
        }
    }

    private async ValueTask ReplyErrorAsync(int code, string message, CancellationToken cancellationToken)
    {
        var error = new JsonRpcError
        {
            RequestId = RequestId.Null,
            Error = new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)code, Message = message },
        };
        await WriteAsync(error, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsBlank(ReadOnlySequence<byte> bytes)
    {
        foreach (ReadOnlyMemory<byte> segment in bytes)
        {
            foreach (byte b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
