namespace Aetherflow.Engine.Events;

/// <summary>
/// One event of one session as the engine stored it: the engine-assigned sequence number, the event type, when the
/// engine received it and the payload (the event's JSON <c>properties</c>, UTF-8). Immutable; the payload bytes are
/// owned by the event and shared by the ring buffer, the journal and every reader — never copied again.
/// </summary>
public sealed class SessionEvent
{
    // Rough per-event bookkeeping cost (object headers, strings, array slot) counted against the byte bound, so a
    // flood of tiny events is bounded too.
    private const int Overhead = 96;

    internal SessionEvent(string sessionId, long sequence, string type, DateTimeOffset receivedAt, byte[] payload)
    {
        SessionId = sessionId;
        Sequence = sequence;
        Type = type;
        ReceivedAt = receivedAt;
        PayloadBytes = payload;
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
    public ReadOnlyMemory<byte> Payload => PayloadBytes;

    /// <summary>What the event counts against a session's byte bound.</summary>
    public int Size => PayloadBytes.Length + Type.Length + Overhead;

    internal byte[] PayloadBytes { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{SessionId}#{Sequence} {Type}";
}
