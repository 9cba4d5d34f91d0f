namespace Aetherflow.Engine.Events;

/// <summary>
/// One event as the ring holds it: its identity and, for the newest events, its payload. An older event's payload
/// stays only in the journal (<see cref="Segment"/>, <see cref="Offset"/>) and is read back when the event is read,
/// so the ring costs a few dozen bytes per event instead of the payload's size.
/// </summary>
internal struct EventSlot
{
    public long Sequence;

    public string Type;

    /// <summary>When the engine received the event, as UTC ticks.</summary>
    public long ReceivedAtTicks;

    /// <summary>The payload while it is held in memory; null once it was released to the journal.</summary>
    public byte[]? Payload;

    /// <summary>The journal file holding the payload; null when it was never written (no journal, or a degraded one).</summary>
    public JournalSegment? Segment;

    /// <summary>Where the payload starts in <see cref="Segment"/>.</summary>
    public long Offset;

    /// <summary>The payload's length in bytes.</summary>
    public int Length;

    /// <summary>What the event counts against the ring's byte bound.</summary>
    public readonly int Size => SessionEvent.SizeOf(Length, Type);

    public readonly DateTimeOffset ReceivedAt => new(ReceivedAtTicks, TimeSpan.Zero);
}
