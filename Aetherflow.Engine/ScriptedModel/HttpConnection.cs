using System.Globalization;
using System.Text;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>
/// The minimal HTTP/1.1 the scripted model server needs, over one accepted connection: request parsing (content-length
/// and chunked bodies, keep-alive) and responses with a fixed length or chunked transfer for server-sent events.
/// </summary>
internal sealed class HttpConnection
{
    private const int MaxHeaderBytes = 64 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private readonly Stream stream;
    private readonly int maxBodyBytes;
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;
    private Task<int>? pendingFill;

    public HttpConnection(Stream stream, int maxBodyBytes)
    {
        this.stream = stream;
        this.maxBodyBytes = maxBodyBytes;
    }

    /// <summary>Reads the next request; null when the client closed the connection between requests.</summary>
    /// <exception cref="InvalidDataException">The request is not valid HTTP/1.1 or is too large.</exception>
    public async Task<HttpRequestData?> ReadRequestAsync(CancellationToken cancellationToken)
    {
        int headerLength;
        while ((headerLength = IndexOf(HeaderEnd)) < 0)
        {
            if (end - start > MaxHeaderBytes)
            {
                throw new InvalidDataException("request headers are larger than 64 KiB");
            }

            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return end == start ? null : throw new InvalidDataException("the connection closed in the middle of request headers");
            }
        }

        string head = Encoding.ASCII.GetString(buffer, start, headerLength);
        start += headerLength + HeaderEnd.Length;
        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"malformed request line '{lines[0]}'");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"malformed header line '{line}'");
            }

            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        if (headers.TryGetValue("Expect", out string? expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        byte[] body = headers.TryGetValue("Transfer-Encoding", out string? encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? await ReadChunkedBodyAsync(cancellationToken).ConfigureAwait(false)
            : await ReadBodyAsync(ContentLength(headers), cancellationToken).ConfigureAwait(false);

        string target = requestLine[1];
        int query = target.IndexOf('?', StringComparison.Ordinal);
        bool http10 = requestLine[2] == "HTTP/1.0";
        string connection = headers.TryGetValue("Connection", out string? c) ? c : string.Empty;
        return new HttpRequestData
        {
            Method = requestLine[0],
            Path = query < 0 ? target : target[..query],
            Headers = headers,
            Body = body,
            KeepAlive = !http10 && !connection.Contains("close", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// Completes when the client closes the connection (true) or sends more bytes (false, kept for the next request).
    /// Used while a response is held back, so an aborted request is noticed at once.
    /// </summary>
    public async Task<bool> WaitForCloseAsync(CancellationToken cancellationToken)
    {
        // The read stays pending after the caller stops waiting; the next FillAsync takes it over, so two reads never
        // run on the stream at once.
        pendingFill ??= FillCoreAsync(cancellationToken);
        return await pendingFill.ConfigureAwait(false) == 0;
    }

    /// <summary>Writes a complete response with a content length.</summary>
    public async Task WriteResponseAsync(int status, string contentType, byte[] body, bool keepAlive, CancellationToken cancellationToken)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n")
            .Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a chunked response (used for server-sent events).</summary>
    public async Task StartChunkedAsync(int status, string contentType, bool keepAlive, CancellationToken cancellationToken)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append("Cache-Control: no-cache\r\n")
            .Append("Transfer-Encoding: chunked\r\n")
            .Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n")
            .Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one chunk and flushes it, so the client sees it at once.</summary>
    public async Task WriteChunkAsync(string text, CancellationToken cancellationToken)
    {
        byte[] data = Encoding.UTF8.GetBytes(text);
        if (data.Length == 0)
        {
            return;
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(LineEnd, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a chunked response.</summary>
    public async Task EndChunkedAsync(CancellationToken cancellationToken)
    {
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static int ContentLength(Dictionary<string, string> headers)
    {
        if (!headers.TryGetValue("Content-Length", out string? text))
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            ? length
            : throw new InvalidDataException($"invalid Content-Length '{text}'");
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };

    private async Task<byte[]> ReadBodyAsync(int length, CancellationToken cancellationToken)
    {
        if (length > maxBodyBytes)
        {
            throw new InvalidDataException($"request body of {length} bytes is larger than the limit of {maxBodyBytes}");
        }

        while (end - start < length)
        {
            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new InvalidDataException("the connection closed in the middle of a request body");
            }
        }

        byte[] body = buffer.AsSpan(start, length).ToArray();
        start += length;
        return body;
    }

    private async Task<byte[]> ReadChunkedBodyAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            string sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            string sizeText = sizeLine.Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int size) || size < 0)
            {
                throw new InvalidDataException($"invalid chunk size '{sizeLine}'");
            }

            if (size == 0)
            {
                // Trailers (none expected) end with an empty line.
                while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                }

                return body.ToArray();
            }

            if (body.Length + size > maxBodyBytes)
            {
                throw new InvalidDataException($"request body is larger than the limit of {maxBodyBytes} bytes");
            }

            byte[] chunk = await ReadBodyAsync(size, cancellationToken).ConfigureAwait(false);
            body.Write(chunk);
            await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        int index;
        while ((index = IndexOf(LineEnd)) < 0)
        {
            if (end - start > MaxHeaderBytes || await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new InvalidDataException("the connection closed or sent an overlong line in a chunked body");
            }
        }

        string line = Encoding.ASCII.GetString(buffer, start, index);
        start += index + LineEnd.Length;
        return line;
    }

    private int IndexOf(byte[] pattern) => buffer.AsSpan(start, end - start).IndexOf(pattern);

    private async Task<int> FillAsync(CancellationToken cancellationToken)
    {
        if (pendingFill is { } pending)
        {
            pendingFill = null;
            return await pending.ConfigureAwait(false);
        }

        return await FillCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> FillCoreAsync(CancellationToken cancellationToken)
    {
        if (start > 0 && start == end)
        {
            start = end = 0;
        }

        if (end == buffer.Length)
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            else
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
        end += read;
        return read;
    }
}
