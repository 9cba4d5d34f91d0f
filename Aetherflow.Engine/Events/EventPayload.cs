using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Aetherflow.Engine.Events;

/// <summary>Checks and copies event payloads for the store: one JSON value, on one line, under the cap.</summary>
internal static class EventPayload
{
    public static bool IsOversized(ReadOnlySpan<byte> payload, int limit) => payload.Length > limit;

    /// <summary>The small stand-in stored for a payload over the cap: <c>{"oversized":{"bytes":N,"limit":L}}</c>.</summary>
    public static byte[] Placeholder(int bytes, int limit) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"oversized":{"bytes":{{bytes}},"limit":{{limit}}} }"""));

    /// <summary>The stand-in for a payload that cannot be read back: <c>{"unavailable":{"reason":"…"}}</c>.</summary>
    public static byte[] Unavailable(string reason)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("unavailable"u8);
            writer.WriteString("reason"u8, reason);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Validates <paramref name="payload"/> and returns the bytes to store (compacted to one line if needed).</summary>
    /// <exception cref="ArgumentException">The payload is not exactly one JSON value.</exception>
    public static byte[] Copy(ReadOnlySpan<byte> payload, string type)
    {
        if (!IsSingleJsonValue(payload))
        {
            throw new ArgumentException($"the payload of a {type} event is not one JSON value", nameof(payload));
        }

        return CopyParsed(payload);
    }

    /// <summary>Copies a payload known to be one JSON value (compacted to one line if needed).</summary>
    public static byte[] CopyParsed(ReadOnlySpan<byte> payload) =>
        payload.IndexOfAny((byte)'\n', (byte)'\r') >= 0 ? Compact(payload) : payload.ToArray();

    private static bool IsSingleJsonValue(ReadOnlySpan<byte> payload)
    {
        try
        {
            // A reader over a complete buffer refuses trailing content after the first value.
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] Compact(ReadOnlySpan<byte> payload)
    {
        // Only whitespace between tokens can hold a line break in valid JSON; writing it out unindented removes it.
        var reader = new Utf8JsonReader(payload);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        var output = new ArrayBufferWriter<byte>(payload.Length);
        using (var writer = new Utf8JsonWriter(output))
        {
            document.WriteTo(writer);
        }

        return output.WrittenSpan.ToArray();
    }
}
