namespace Aetherflow.Engine.Events;

/// <summary>
/// A circular buffer of one session's events in sequence order, bounded by count and by bytes. Adding and evicting
/// are O(1) (the array only grows, by doubling, until it reaches the count bound); finding a cursor is a binary
/// search. Not thread-safe: the owning <see cref="SessionEventLog"/> guards it.
/// </summary>
internal sealed class EventRing
{
    private const int InitialCapacity = 16;
    private readonly int maxCount;
    private readonly long maxBytes;
    private SessionEvent?[] items;
    private int head;

    public EventRing(int maxCount, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        items = new SessionEvent?[Math.Min(InitialCapacity, maxCount)];
    }

    public int Count { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>The highest sequence that was evicted (0 when nothing was): a cursor below it fell behind.</summary>
    public long EvictedThrough { get; private set; }

    /// <summary>How many events were evicted in total.</summary>
    public long EvictedCount { get; private set; }

    public long FirstSequence => Count == 0 ? 0 : At(0).Sequence;

    public long LastSequence => Count == 0 ? 0 : At(Count - 1).Sequence;

    /// <summary>Appends <paramref name="item"/> (its sequence must be above every sequence held), evicting the oldest as needed.</summary>
    public void Add(SessionEvent item)
    {
        if (Count == maxCount)
        {
            RemoveOldest();
        }
        else if (Count == items.Length)
        {
            Grow();
        }

        items[(head + Count) % items.Length] = item;
        Count++;
        Bytes += item.Size;

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
    public SessionEvent At(int index) => items[(head + index) % items.Length]!;

    /// <summary>Copies <paramref name="count"/> events starting at logical index <paramref name="start"/>.</summary>
    public SessionEvent[] Slice(int start, int count)
    {
        var result = new SessionEvent[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = At(start + i);
        }

        return result;
    }

    private void RemoveOldest()
    {
        SessionEvent oldest = items[head]!;
        items[head] = null;
        head = (head + 1) % items.Length;
        Count--;
        Bytes -= oldest.Size;
        EvictedThrough = Math.Max(EvictedThrough, oldest.Sequence);
        EvictedCount++;
    }

    private void Grow()
    {
        var larger = new SessionEvent?[Math.Min(items.Length * 2, maxCount)];
        for (int i = 0; i < Count; i++)
        {
            larger[i] = At(i);
        }

        items = larger;
        head = 0;
    }
}
