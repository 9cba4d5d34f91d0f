using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Aetherflow.Engine.Text;

/// <summary>
/// Hands out one string instance per short JSON string value seen recently, so values that repeat from event to event
/// (a session id, a message id, a tool name) cost a lookup instead of a new string each time. A small direct-mapped
/// table: a value whose slot holds another one replaces it, so the cache stays bounded and a miss costs what
/// <see cref="JsonElement.GetString"/> costs anyway. Not thread-safe: one reader (a connection, a tracker) owns one.
/// </summary>
internal sealed class JsonStringCache
{
    /// <summary>Longer values (texts, outputs) rarely repeat and are not kept.</summary>
    public const int MaxCachedBytes = 128;

    private readonly Entry[] entries;
    private readonly int mask;

    /// <param name="slots">Table size, a power of two.</param>
    public JsonStringCache(int slots = 64)
    {
        if (slots < 1 || !int.IsPow2(slots))
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "the table size must be a power of two");
        }

        entries = new Entry[slots];
        mask = slots - 1;
    }

    /// <summary>The value of <paramref name="element"/>, which must be a JSON string.</summary>
    public string Get(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new ArgumentException($"expected a JSON string, got {element.ValueKind}", nameof(element));
        }

        // The raw token of a string is its quoted, still escaped form; an escaped value is decoded the slow way.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        ReadOnlySpan<byte> utf8 = raw[1..^1];
        if (utf8.Length > MaxCachedBytes || utf8.Contains((byte)'\\'))
        {
            return element.GetString()!;
        }

        ref Entry entry = ref entries[(int)XxHash3.HashToUInt64(utf8) & mask];
        if (entry.Utf8 is { } known && utf8.SequenceEqual(known))
        {
            return entry.Value!;
        }

        string value = element.GetString()!;
        entry = new Entry(utf8.ToArray(), value);
        return value;
    }

    /// <summary>The string property <paramref name="name"/> of the object <paramref name="element"/>, or null.</summary>
    public string? Property(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? Get(value)
            : null;

    private readonly record struct Entry(byte[]? Utf8, string? Value);
}
