namespace Aetherflow.Engine.Events;

/// <summary>
/// A session's most recent tool calls by part id, in the order they started, at most <c>capacity</c> of them: an update
/// keeps a call's place, a new call beyond the bound pushes out the oldest. Every operation is O(1) (a ring and an
/// index), where an ordered dictionary shifted every later entry to drop its first one. Not thread-safe.
/// </summary>
internal sealed class RecentToolCalls
{
    private readonly Dictionary<string, long> positions = new(StringComparer.Ordinal);
    private readonly ToolCall[] ring;
    private long added;

    public RecentToolCalls(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ring = new ToolCall[capacity];
    }

    public int Count => positions.Count;

    public bool TryGetValue(string partId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolCall? call)
    {
        if (positions.TryGetValue(partId, out long position))
        {
            call = ring[position % ring.Length];
            return true;
        }

        call = null;
        return false;
    }

    /// <summary>Adds <paramref name="call"/>, or replaces the call with its part id where it stands.</summary>
    public void Set(ToolCall call)
    {
        if (positions.TryGetValue(call.PartId, out long position))
        {
            ring[position % ring.Length] = call;
            return;
        }

        long slot = added % ring.Length;
        if (added >= ring.Length)
        {
            positions.Remove(ring[slot].PartId);
        }

        ring[slot] = call;
        positions[call.PartId] = added++;
    }

    /// <summary>The calls, oldest first.</summary>
    public ToolCall[] ToArray()
    {
        long first = Math.Max(0, added - ring.Length);
        var calls = new ToolCall[added - first];
        for (long position = first; position < added; position++)
        {
            calls[position - first] = ring[position % ring.Length];
        }

        return calls;
    }
}
