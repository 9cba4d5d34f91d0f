using System.Text.Json;
using Aetherflow.Engine.Events;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Remembers the <see cref="OpencodeDedupKey"/> of every event of one session seen so far (live, restored from the
/// journal, or backfilled), so backfill adds only what is new. Bounded: the oldest keys are forgotten first. Not
/// thread-safe; use it from the session's event loop.
/// </summary>
public sealed class OpencodeEventDeduplicator
{
    private readonly int capacity;
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    /// <summary>Creates a deduplicator that remembers at most <paramref name="capacity"/> keys.</summary>
    public OpencodeEventDeduplicator(int capacity = 50_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
    }

    /// <summary>How many keys are remembered.</summary>
    public int Count => seen.Count;

    /// <summary>True, and remembered, when <paramref name="item"/> carries information not seen before (events without a key always do).</summary>
    public bool TryAdd(OpencodeEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return TryAdd(item.Type, item.Properties);
    }

    /// <summary>True, and remembered, when an event of <paramref name="type"/> with <paramref name="properties"/> is new.</summary>
    public bool TryAdd(string type, JsonElement properties)
    {
        string? key = OpencodeDedupKey.For(type, properties);
        if (key is null)
        {
            return true;
        }

        if (!seen.Add(key))
        {
            return false;
        }

        order.Enqueue(key);
        if (order.Count > capacity)
        {
            seen.Remove(order.Dequeue());
        }

        return true;
    }

    /// <summary>Remembers a stored event (e.g. one restored from the journal after a restart).</summary>
    public void Observe(SessionEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Type is not (OpencodeEventTypes.MessageUpdated or OpencodeEventTypes.MessagePartUpdated))
        {
            return;
        }

        using JsonDocument payload = JsonDocument.Parse(stored.Payload);
        TryAdd(stored.Type, payload.RootElement);
    }
}
