using System.Text.Json;
using Aetherflow.Engine.Events;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Remembers the <see cref="OpencodeDedupKey"/> of every event of one session seen so far (live, restored from the
/// journal, or backfilled), so backfill adds only what is new, and the opencode event id (<c>evt_…</c>) of every live
/// event, so the same event arriving from two sources (the event stream and the aetherflow-events plugin) is kept once.
/// Bounded: the oldest keys are forgotten first. Not thread-safe; callers serialise access per session.
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

    /// <summary>
    /// True, and remembered, when <paramref name="item"/> is not an event already seen (same opencode event id) and
    /// carries information not seen before (events without an id or a key always do).
    /// </summary>
    public bool TryAdd(OpencodeEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        string? idKey = item.Id is { Length: > 0 } id ? "e|" + id : null;
        if (idKey is not null && seen.Contains(idKey))
        {
            return false;
        }

        if (!TryAdd(item.Type, item.Properties))
        {
            return false;
        }

        if (idKey is not null)
        {
            Remember(idKey);
        }

        return true;
    }

    /// <summary>True, and remembered, when an event of <paramref name="type"/> with <paramref name="properties"/> is new.</summary>
    public bool TryAdd(string type, JsonElement properties)
    {
        string? key = OpencodeDedupKey.For(type, properties);
        if (key is null)
        {
            return true;
        }

        if (seen.Contains(key))
        {
            return false;
        }

        Remember(key);
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

    private void Remember(string key)
    {
        seen.Add(key);
        order.Enqueue(key);
        if (order.Count > capacity)
        {
            seen.Remove(order.Dequeue());
        }
    }
}
