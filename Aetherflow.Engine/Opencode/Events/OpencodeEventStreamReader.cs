using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Reads opencode's server-sent event stream (<c>GET /global/event</c> or <c>GET /event</c>) from a
/// <see cref="Stream"/> and yields parsed events. SSE framing — <c>data:</c> lines, multi-line data, CR/LF/CRLF line
/// ends, <c>:</c> comment lines used as keep-alives, events split across reads — is handled by the BCL's
/// <see cref="SseParser"/>. Data that is not an opencode event is skipped with a counted warning. The enumeration ends
/// when the stream ends; reconnecting is the caller's job (see <see cref="LastEventId"/>).
/// </summary>
public sealed class OpencodeEventStreamReader
{
    private readonly ILogger logger;
    private long malformedEvents;

    /// <summary>Creates a reader that logs skipped data to <paramref name="logger"/>.</summary>
    public OpencodeEventStreamReader(ILogger<OpencodeEventStreamReader> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;
    }

    /// <summary>Events whose data could not be parsed, since this reader was created.</summary>
    public long MalformedEvents => Interlocked.Read(ref malformedEvents);

    /// <summary>The last SSE <c>id:</c> seen on the most recent stream, for a reconnect's <c>Last-Event-ID</c>.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>
    /// Yields each event of <paramref name="stream"/> as it arrives. The caller disposes every event it gets. I/O errors
    /// of the stream propagate; cancelling ends the enumeration with <see cref="OperationCanceledException"/>.
    /// </summary>
    public async IAsyncEnumerable<OpencodeEvent> ReadAllAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);

        // The data must outlive the parser's buffer: the parsed event references it, so copy it once here.
        SseParser<byte[]> parser = SseParser.Create(stream, static (_, data) => data.ToArray());
        var strings = new JsonStringCache();
        await foreach (SseItem<byte[]> item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            LastEventId = parser.LastEventId is { Length: > 0 } id ? id : LastEventId;
            if (item.Data.Length == 0)
            {
                continue;
            }

            if (OpencodeEventParser.TryParse(item.Data, strings, out OpencodeEvent? parsed, out string? error))
            {
                yield return parsed;
                continue;
            }

            long count = Interlocked.Increment(ref malformedEvents);
            string sample = TerminalText.Truncate(TerminalText.SanitizeLine(System.Text.Encoding.UTF8.GetString(item.Data.AsSpan(0, Math.Min(item.Data.Length, 200)))), 120);
            logger.LogWarning("Skipped opencode event data that is not an event ({Error}; {Count} so far): {Sample}", error, count, sample);
        }
    }
}
