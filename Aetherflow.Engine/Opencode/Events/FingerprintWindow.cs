namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// A set of the most recent <see cref="Capacity"/> 64-bit fingerprints (uniformly distributed hashes), forgetting the
/// oldest first. Built for the deduplicator's one operation, "add if new", on every live event: one open-addressing
/// table of the fingerprints themselves (no hash codes, links or entry objects, 16 bytes per key at most half full) and
/// a ring that remembers their order for eviction. Not thread-safe.
/// </summary>
/// <remarks>
/// A general-purpose <c>HashSet</c> of 128-bit keys plus a queue cost about 40 bytes per key in three arrays that are
/// reallocated as a session grows, and a cache miss or two per add; on the ingest path that was a fifth of the engine's
/// time per event (docs/benchmarks.md). Linear probing touches one cache line per add, and removal shifts the entries
/// after the removed one back instead of leaving tombstones, so the table never fills with dead slots.
/// </remarks>
internal sealed class FingerprintWindow
{
    private const int InitialSlots = 64;

    // 0 marks an empty slot; a fingerprint that is 0 is stored as this instead (one value in 2^64 is shared).
    private const ulong ZeroStandIn = 0x9E3779B97F4A7C15;

    private ulong[] slots = new ulong[InitialSlots];
    private ulong[] order = new ulong[InitialSlots / 2];
    private int oldest;

    /// <summary>Creates a window of at most <paramref name="capacity"/> fingerprints.</summary>
    public FingerprintWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>How many fingerprints are kept at most.</summary>
    public int Capacity { get; }

    /// <summary>How many fingerprints are kept.</summary>
    public int Count { get; private set; }

    /// <summary>Adds <paramref name="fingerprint"/> and returns true, or returns false when it is already kept.</summary>
    public bool TryAdd(ulong fingerprint)
    {
        fingerprint = Stored(fingerprint);
        int index = Probe(fingerprint);
        if (slots[index] == fingerprint)
        {
            return false;
        }

        if (Count == Capacity)
        {
            // Forget the oldest (which may move entries, so the new one is placed afresh); its place in the ring is
            // where the newest goes.
            Remove(order[oldest]);
            order[oldest] = fingerprint;
            oldest = (oldest + 1) % Capacity;
            slots[Probe(fingerprint)] = fingerprint;
            Count++;
            return true;
        }

        if ((Count + 1) * 2 > slots.Length)
        {
            Grow();
            index = Probe(fingerprint);
        }

        slots[index] = fingerprint;
        if (Count == order.Length)
        {
            Array.Resize(ref order, Math.Min(order.Length * 2, Capacity));
        }

        order[Count++] = fingerprint;
        return true;
    }

    /// <summary>True when <paramref name="fingerprint"/> is kept.</summary>
    public bool Contains(ulong fingerprint)
    {
        fingerprint = Stored(fingerprint);
        return slots[Probe(fingerprint)] == fingerprint;
    }

    private static ulong Stored(ulong fingerprint) => fingerprint == 0 ? ZeroStandIn : fingerprint;

    // The slot that holds the (stored) fingerprint, or the empty slot where it would go.
    private int Probe(ulong fingerprint)
    {
        int mask = slots.Length - 1;
        int index = (int)fingerprint & mask;
        while (slots[index] != 0 && slots[index] != fingerprint)
        {
            index = (index + 1) & mask;
        }

        return index;
    }

    private void Remove(ulong fingerprint)
    {
        int mask = slots.Length - 1;
        int hole = Probe(fingerprint);
        Count--;

        // Backward-shift deletion: move up every later entry of the run that may no longer be found past the hole.
        int next = hole;
        while (true)
        {
            next = (next + 1) & mask;
            ulong moving = slots[next];
            if (moving == 0)
            {
                break;
            }

            int home = (int)moving & mask;

            // The entry may fill the hole only if its home is not cyclically within (hole, next].
            bool homeAfterHole = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!homeAfterHole)
            {
                slots[hole] = moving;
                hole = next;
            }
        }

        slots[hole] = 0;
    }

    private void Grow()
    {
        ulong[] previous = slots;
        slots = new ulong[previous.Length * 2];
        foreach (ulong fingerprint in previous)
        {
            if (fingerprint != 0)
            {
                slots[Probe(fingerprint)] = fingerprint;
            }
        }
    }
}
