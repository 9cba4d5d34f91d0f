using System.Text.Json;
using Aetherflow.Engine.Events;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Remembers the <see cref="OpencodeDedupKey"/> of every event of one session seen so far (live, restored from the
/// journal, or backfilled), so backfill adds only what is new, and the opencode event id (<c>evt_…</c>) of every live
/// event, so the same event arriving from two sources (the event stream and the aetherflow-events plugin) is kept once.
/// Bounded: the oldest keys are forgotten first. Keys are kept as the 64-bit xxHash3 of their UTF-8 bytes (8 bytes
/// instead of a string of 40 to 120, in a <see cref="FingerprintWindow"/>), so a session's 50,000 keys cost about
/// 1.4 MB; the chance that any two of them collide (and a new event is taken for a duplicate) is below one in ten
/// billion. Not thread-safe; callers serialise access per session.
/// </summary>
public sealed class OpencodeEventDeduplicator
{
    private readonly FingerprintWindow seen;

    /// <summary>Creates a deduplicator that remembers at most <paramref name="capacity"/> keys.</summary>
    public OpencodeEventDeduplicator(int capacity = 50_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        seen = new FingerprintWindow(capacity);
    }

    /// <summary>How many keys are remembered.</summary>
    public int Count => seen.Count;

    /// <summary>
    /// True, and remembered, when <paramref name="item"/> is not an event already seen (same opencode event id) and
    /// carries information not seen before (events without an id or a key always do).
    /// </summary>
    /// <remarks>
    /// An event with a content key is remembered by that key alone: the same event from the other source has the same
    /// content, so its key already recognises it, and one key per event instead of two is what keeps 50 sessions of
    /// history small (see docs/benchmarks.md). Events without a content key (statuses, idles, errors) are told apart by
    /// their id.
    /// </remarks>
    public bool TryAdd(OpencodeEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (OpencodeDedupKey.TryHash(item.Type, item.Properties, out ulong key))
        {
            return seen.TryAdd(key);
        }

        return item.Id is not { Length: > 0 } id || seen.TryAdd(OpencodeDedupKey.HashOfEventId(id));
    }

    /// <summary>True, and remembered, when an event of <paramref name="type"/> with <paramref name="properties"/> is new.</summary>
    public bool TryAdd(string type, JsonElement properties) =>
        !OpencodeDedupKey.TryHash(type, properties, out ulong key) || seen.TryAdd(key);

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
