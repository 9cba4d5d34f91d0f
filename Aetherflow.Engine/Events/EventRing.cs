using System.Runtime.InteropServices;

namespace Aetherflow.Engine.Events;

/// <summary>
/// A circular buffer of one session's events in sequence order, bounded by count and by bytes. Adding and evicting
/// are O(1) (the array only grows, by doubling, until it reaches the count bound); finding a cursor is a binary
/// search. Only the newest <c>payloadsInMemory</c> journaled events keep their payload in memory; older ones keep
/// where the journal has it. Not thread-safe: the owning <see cref="SessionEventLog"/> guards it.
/// </summary>
internal sealed class EventRing
{
    private const int InitialCapacity = 16;
    private readonly int maxCount;
    private readonly long maxBytes;
    private readonly int payloadsInMemory;
    private EventSlot[] items;
    private int head;

    // The segment of the last event evicted from an emptied ring: retired once the next event turns out to be elsewhere.
    private JournalSegment? emptiedSegment;

    public EventRing(int maxCount, long maxBytes, int payloadsInMemory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadsInMemory);
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.payloadsInMemory = payloadsInMemory;
        items = new EventSlot[Math.Min(InitialCapacity, maxCount)];
    }

    public int Count { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Events whose payload is held in memory (counted on demand; for diagnostics and tests).</summary>
    public int PayloadsHeld
    {
        get
        {
            int held = 0;
            for (int i = 0; i < Count; i++)
            {
                held += At(i).Payload is null ? 0 : 1;
            }

            return held;
        }
    }

    /// <summary>The highest sequence that was evicted (0 when nothing was): a cursor below it fell behind.</summary>
    public long EvictedThrough { get; private set; }

    /// <summary>How many events were evicted in total.</summary>
    public long EvictedCount { get; private set; }

    public long FirstSequence => Count == 0 ? 0 : At(0).Sequence;

    public long LastSequence => Count == 0 ? 0 : At(Count - 1).Sequence;

    /// <summary>
    /// Appends <paramref name="item"/> (its sequence must be above every sequence held), evicting the oldest as needed.
    /// <paramref name="location"/> is where the journal holds its payload, if it was written.
    /// </summary>
    public void Add(SessionEvent item, JournalLocation? location)
    {
        if (Count == maxCount)
        {
            RemoveOldest();
        }
        else if (Count == items.Length)
        {
            Grow();
        }

        if (emptiedSegment is not null && !ReferenceEquals(emptiedSegment, location?.Segment))
        {
            emptiedSegment.Retire();
        }

        emptiedSegment = null;
        items[(head + Count) % items.Length] = new EventSlot
        {
            Sequence = item.Sequence,
            Type = item.Type,
            ReceivedAtTicks = item.ReceivedAt.UtcTicks,
            Payload = PayloadArray(item.Payload),
            Segment = location?.Segment,
            Offset = location?.Offset ?? 0,
            Length = item.Payload.Length,
        };
        Count++;
        Bytes += item.Size;
        ReleaseOldPayload();

        // Always keep the newest event, even if it alone exceeds the byte bound (payloads are capped well below it).
        while (Bytes > maxBytes && Count > 1)
        {
            RemoveOldest();
        }
    }

    /// <summary>Records that sequences up to <paramref name="sequence"/> exist but are not held (e.g. older than the journal's start).</summary>
    public void MarkMissingThrough(long sequence) => EvictedThrough = Math.Max(EvictedThrough, sequence);

    /// <summary>The logical index of the first event with a sequence above <paramref name="sequence"/>; <see cref="Count"/> when none.</summary>
    public int IndexAfter(long sequence)
    {
        int low = 0;
        int high = Count;
        while (low < high)
        {
            int mid = low + ((high - low) / 2);
            if (At(mid).Sequence <= sequence)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>The event at logical index <paramref name="index"/> (0 = oldest held).</summary>
    public ref readonly EventSlot At(int index) => ref items[(head + index) % items.Length];

    /// <summary>Copies <paramref name="count"/> slots starting at logical index <paramref name="start"/>.</summary>
    public EventSlot[] Slice(int start, int count)
    {
        var result = new EventSlot[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = At(start + i);
        }

        return result;
    }

    private static byte[] PayloadArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

    // Once more than payloadsInMemory events are held, the payload of the one that just left the newest few is
    // released if the journal has it; payloads the journal does not have stay.
    private void ReleaseOldPayload()
    {
        int index = Count - 1 - payloadsInMemory;
        if (index < 0)
        {
            return;
        }

        ref EventSlot slot = ref items[(head + index) % items.Length];
        if (slot.Segment is not null)
        {
            slot.Payload = null;
        }
    }

    private void RemoveOldest()
    {
        ref EventSlot oldest = ref items[head];
        JournalSegment? segment = oldest.Segment;
        long sequence = oldest.Sequence;
        Bytes -= oldest.Size;
        oldest = default;
        head = (head + 1) % items.Length;
        Count--;
        EvictedThrough = Math.Max(EvictedThrough, sequence);
        EvictedCount++;

        // Segments only ever follow each other (the journal starts a new one after rotating or failing), so once the
        // oldest event is in another segment, no event held is in this one.
        if (segment is null)
        {
            return;
        }

        if (Count == 0)
        {
            emptiedSegment = segment;
        }
        else if (!ReferenceEquals(At(0).Segment, segment))
        {
            segment.Retire();
        }
    }

    private void Grow()
    {
        var larger = new EventSlot[Math.Min(items.Length * 2, maxCount)];
        for (int i = 0; i < Count; i++)
        {
            larger[i] = At(i);
        }

        items = larger;
        head = 0;
    }
}
