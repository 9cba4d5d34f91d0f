namespace Aetherflow.Engine.Events;

/// <summary>
/// One event of one session as the engine stored it: the engine-assigned sequence number, the event type, when the
/// engine received it and the payload (the event's JSON <c>properties</c>, UTF-8). Immutable. A freshly appended event
/// holds the bytes the store copied once; an event read back from an older part of the ring holds bytes read back from
/// the session's journal (see <see cref="SessionEventStoreOptions.PayloadsInMemoryPerSession"/>).
/// </summary>
public sealed class SessionEvent
{
    // Rough per-event bookkeeping cost (object headers, strings, array slot) counted against the byte bound, so a
    // flood of tiny events is bounded too.
    private const int Overhead = 96;

    internal SessionEvent(string sessionId, long sequence, string type, DateTimeOffset receivedAt, ReadOnlyMemory<byte> payload)
    {
        SessionId = sessionId;
        Sequence = sequence;
        Type = type;
        ReceivedAt = receivedAt;
        Payload = payload;
    }

    /// <summary>The opencode session the event belongs to (<c>ses_…</c>).</summary>
    public string SessionId { get; }

    /// <summary>Per-session, engine-owned, strictly increasing and never reused — also across restarts.</summary>
    public long Sequence { get; }

    /// <summary>The event type, e.g. <c>message.part.updated</c>.</summary>
    public string Type { get; }

    /// <summary>When the engine received the event (its own clock, not the sender's).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The payload JSON (UTF-8, one line).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>What the event counts against a session's byte bound.</summary>
    public int Size => SizeOf(Payload.Length, Type);

    /// <summary>What an event with a payload of <paramref name="payloadLength"/> bytes and <paramref name="type"/> counts.</summary>
    internal static int SizeOf(int payloadLength, string type) => payloadLength + type.Length + Overhead;

    /// <inheritdoc/>
    public override string ToString() => $"{SessionId}#{Sequence} {Type}";
}
