using System.Diagnostics.CodeAnalysis;

namespace Aetherflow.Engine.Collections;

/// <summary>
/// The most recent values by string key (ordinal), in the order their keys were first set, at most <c>capacity</c> of
/// them: setting a known key keeps its place, a new key beyond the bound pushes out the oldest. Every operation is O(1)
/// (a ring and an index) — an ordered dictionary shifts every later entry to drop its first one. The ring grows by
/// doubling up to the bound, so a large bound costs nothing until it is used. Not thread-safe.
/// </summary>
internal sealed class RecentMap<TValue>
{
    private const int InitialSlots = 16;
    private readonly Dictionary<string, long> positions = new(StringComparer.Ordinal);
    private readonly int capacity;
    private (string Key, TValue Value)[] ring;

    // How many keys were ever added: the next one's position. Position p lives at ring[p % ring.Length]; the ring only
    // wraps once it has reached the bound, so growing it never moves an entry.
    private long added;

    public RecentMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
        ring = new (string, TValue)[Math.Min(capacity, InitialSlots)];
    }

    public int Count => positions.Count;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        if (positions.TryGetValue(key, out long position))
        {
            value = ring[position % ring.Length].Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Sets the value of <paramref name="key"/>: in its place when known, else as the newest.</summary>
    public void Set(string key, TValue value)
    {
        if (positions.TryGetValue(key, out long position))
        {
            ring[position % ring.Length].Value = value;
            return;
        }

        if (added == ring.Length && ring.Length < capacity)
        {
            Array.Resize(ref ring, (int)Math.Min((long)ring.Length * 2, capacity));
        }

        long slot = added % ring.Length;
        if (added >= ring.Length)
        {
            positions.Remove(ring[slot].Key);
        }

        ring[slot] = (key, value);
        positions[key] = added++;
    }

    /// <summary>The values, oldest first.</summary>
    public TValue[] ToArray()
    {
        long first = added - positions.Count;
        var values = new TValue[positions.Count];
        for (long position = first; position < added; position++)
        {
            values[position - first] = ring[position % ring.Length].Value;
        }

        return values;
    }
}
