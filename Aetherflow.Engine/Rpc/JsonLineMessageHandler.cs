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
/// an error reply and closes the connection, so one bad client cannot make the engine buffer without bound.
/// </summary>
internal sealed class JsonLineMessageHandler : PipeMessageHandler
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);
    private readonly int maxFrameBytes;
    private readonly Lock pendingGate = new();
    private readonly HashSet<RequestId> pending = [];
    private TaskCompletionSource? drained;

    public JsonLineMessageHandler(Stream stream, IJsonRpcMessageTextFormatter formatter, int maxFrameBytes)
        : base(stream, stream, formatter)
    {
        if (formatter.Encoding.WebName != Encoding.UTF8.WebName)
        {
            throw new NotSupportedException("Only UTF-8 formatters are supported.");
        }

        this.maxFrameBytes = maxFrameBytes;
    }

    private new IJsonRpcMessageTextFormatter Formatter => (IJsonRpcMessageTextFormatter)base.Formatter;

    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Formatter.Serialize(Writer!, content);
        Writer!.Write(NewLine);
        RequestId? answered = content switch
        {
            JsonRpcResult result => result.RequestId,
            JsonRpcError { RequestId.IsEmpty: false } error => error.RequestId,
            _ => null,
        };
        if (answered is { } id)
        {
            lock (pendingGate)
            {
                pending.Remove(id);
            }
        }
    }

    protected override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await base.FlushAsync(cancellationToken).ConfigureAwait(false);
        lock (pendingGate)
        {
            if (pending.Count == 0)
            {
                drained?.TrySetResult();
            }
        }
    }

    // A client that half-closes after its last request (e.g. `echo … | socat`) still gets its answers: end of input
    // is reported to JsonRpc only once every request read so far has been answered and flushed.
    private async ValueTask<JsonRpcMessage?> EndOfInputAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (pendingGate)
        {
            if (pending.Count == 0)
            {
                return null;
            }

            drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = drained.Task;
        }

        try
        {
            await wait.WaitAsync(DrainLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Give up on answers that take longer than this; the peer is gone anyway.
        }

        return null;
    }

    private JsonRpcMessage? Track(JsonRpcMessage? message)
    {
        if (message is JsonRpcRequest { IsResponseExpected: true } request)
        {
            lock (pendingGate)
            {
                pending.Add(request.RequestId);
            }
        }

        return message;
    }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        PipeReader reader = Reader!;
        while (true)
        {
            ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            SequencePosition? lf = buffer.PositionOf((byte)'\n');
            if (lf is null)
            {
                if (buffer.Length > maxFrameBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    await ReplyErrorAsync(RpcErrorCodes.FrameTooLarge, $"frame larger than {maxFrameBytes} bytes; connection closed", cancellationToken).ConfigureAwait(false);
                    return null;
                }

                if (read.IsCompleted)
                {
                    // The peer closed its side. A trailing message without a newline is still served, and every
                    // request read so far is answered before the end of input is reported.
                    byte[]? trailing = buffer.Length > 0 && !IsBlank(buffer) ? buffer.ToArray() : null;
                    reader.AdvanceTo(buffer.End);
                    if (trailing is not null && Track(await DeserializeOrReplyAsync(trailing, cancellationToken).ConfigureAwait(false)) is { } last)
                    {
                        return last;
                    }

                    return await EndOfInputAsync(cancellationToken).ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            ReadOnlySequence<byte> line = buffer.Slice(0, lf.Value);
            bool tooLarge = line.Length > maxFrameBytes;
            JsonRpcMessage? message = null;
            try
            {
                if (tooLarge)
                {
                    await ReplyErrorAsync(RpcErrorCodes.FrameTooLarge, $"frame larger than {maxFrameBytes} bytes; connection closed", cancellationToken).ConfigureAwait(false);
                }
                else if (!IsBlank(line))
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
                return null;
            }

            if (message is not null)
            {
                return Track(message);
            }
        }
    }

    private ValueTask<JsonRpcMessage?> DeserializeOrReplyAsync(byte[] line, CancellationToken cancellationToken) =>
        DeserializeOrReplyAsync(new ReadOnlySequence<byte>(line), cancellationToken);

    private async ValueTask<JsonRpcMessage?> DeserializeOrReplyAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        string? problem = Check(line);
        if (problem is null)
        {
            try
            {
                return Formatter.Deserialize(line);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
            {
                problem = $"not a valid JSON-RPC 2.0 message: {ex.Message.Split('\n')[0]}";
            }
        }

        await ReplyErrorAsync(problem.StartsWith("invalid JSON", StringComparison.Ordinal) ? RpcErrorCodes.ParseError : RpcErrorCodes.InvalidRequest, problem, cancellationToken).ConfigureAwait(false);
        return null;
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
