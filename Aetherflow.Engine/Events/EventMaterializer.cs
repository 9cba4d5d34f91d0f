using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Events;

/// <summary>
/// Turns ring slots back into events: payloads held in memory are used as they are; the others are read back from the
/// journal, one read per run of consecutive events in the same file. A payload that cannot be read back (the file was
/// truncated or fails) becomes <c>{"unavailable":{"reason":"…"}}</c>, so a reader always gets every event in order.
/// </summary>
internal static class EventMaterializer
{
    // One read covers consecutive payloads up to this many bytes (with the journal's line prefixes between them).
    private const int MaxReadBytes = 1024 * 1024;

    /// <summary>The events of <paramref name="slots"/>; segments they refer to must be acquired by the caller.</summary>
    public static SessionEvent[] Materialize(string sessionId, EventSlot[] slots, ILogger logger)
    {
        var events = new SessionEvent[slots.Length];
        int i = 0;
        while (i < slots.Length)
        {
            ref readonly EventSlot slot = ref slots[i];
            if (slot.Payload is { } payload)
            {
                events[i] = Create(sessionId, slot, payload);
                i++;
                continue;
            }

            int end = RunEnd(slots, i);
            ReadRun(sessionId, slots, i, end, events, logger);
            i = end;
        }

        return events;
    }

    private static SessionEvent Create(string sessionId, in EventSlot slot, ReadOnlyMemory<byte> payload) =>
        new(sessionId, slot.Sequence, slot.Type, slot.ReceivedAt, payload);

    // The end (exclusive) of the run of journal-only payloads starting at start: same segment, one bounded read.
    private static int RunEnd(EventSlot[] slots, int start)
    {
        JournalSegment segment = slots[start].Segment!;
        long from = slots[start].Offset;
        int end = start + 1;
        while (end < slots.Length
            && slots[end].Payload is null
            && ReferenceEquals(slots[end].Segment, segment)
            && slots[end].Offset >= slots[end - 1].Offset
            && slots[end].Offset + slots[end].Length - from <= MaxReadBytes)
        {
            end++;
        }

        return end;
    }

    private static void ReadRun(string sessionId, EventSlot[] slots, int start, int end, SessionEvent[] events, ILogger logger)
    {
        JournalSegment segment = slots[start].Segment!;
        long from = slots[start].Offset;
        var bytes = new byte[slots[end - 1].Offset + slots[end - 1].Length - from];
        string? problem;
        try
        {
            problem = segment.TryRead(from, bytes) ? null : "the journal file is shorter than written (was it truncated?)";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            problem = $"reading the journal failed: {ex.Message}";
        }

        if (problem is not null)
        {
            logger.LogWarning(
                "Session {SessionId}: the payloads of events #{First}..#{Last} cannot be read back from {Path}: {Problem}",
                sessionId,
                slots[start].Sequence,
                slots[end - 1].Sequence,
                segment.Path,
                problem);
            byte[] unavailable = EventPayload.Unavailable(problem);
            for (int i = start; i < end; i++)
            {
                events[i] = Create(sessionId, slots[i], unavailable);
            }

            return;
        }

        var memory = new ReadOnlyMemory<byte>(bytes);
        for (int i = start; i < end; i++)
        {
            events[i] = Create(sessionId, slots[i], memory.Slice((int)(slots[i].Offset - from), slots[i].Length));
        }
    }
}
