using System.Buffers;
using System.Buffers.Text;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// The identity of the information an event carries, so the same state seen twice (live and then again from the
/// messages API) is recognised: a message by id + completed flag + finish + error; a tool part by id + state status;
/// a text or reasoning part by id + text length + ended flag; any other part by id + type. Other events have no key.
/// </summary>
/// <remarks>
/// A key is built as UTF-8 bytes straight from the event's JSON, without a string per part of it: the deduplicator
/// only keeps its 64-bit hash (<see cref="TryHash"/>), and every live event needs one.
/// </remarks>
public static class OpencodeDedupKey
{
    // Ids are 30 to 40 bytes; anything longer goes to a rented buffer.
    private const int StackBytes = 256;

    /// <summary>The key of an event of <paramref name="type"/> with <paramref name="properties"/>, or null when it has none.</summary>
    public static string? For(string type, JsonElement properties)
    {
        var key = new KeyBytes(stackalloc byte[StackBytes]);
        try
        {
            return TryWrite(type, properties, ref key) ? Encoding.UTF8.GetString(key.Written) : null;
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>The 64-bit hash of the key of an event (<see cref="For"/>), or false when it has none.</summary>
    internal static bool TryHash(string type, JsonElement properties, out ulong hash)
    {
        var key = new KeyBytes(stackalloc byte[StackBytes]);
        try
        {
            bool found = TryWrite(type, properties, ref key);
            hash = found ? XxHash3.HashToUInt64(key.Written) : 0;
            return found;
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>The 64-bit hash of the key of an event that has no content key but an opencode event id.</summary>
    internal static ulong HashOfEventId(string id)
    {
        var key = new KeyBytes(stackalloc byte[StackBytes]);
        try
        {
            key.Append("e|"u8);
            key.Append(id);
            return XxHash3.HashToUInt64(key.Written);
        }
        finally
        {
            key.Dispose();
        }
    }

    private static bool TryWrite(string type, JsonElement properties, ref KeyBytes key)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (type == OpencodeEventTypes.MessageUpdated && properties.TryGetProperty("info"u8, out JsonElement info) && Id(info) is { } messageId)
        {
            bool completed = info.TryGetProperty("time"u8, out JsonElement time) && time.ValueKind == JsonValueKind.Object
                && time.TryGetProperty("completed"u8, out JsonElement done) && done.ValueKind == JsonValueKind.Number;
            key.Append("m|"u8);
            key.Append(messageId);
            key.Append(completed ? "|done|"u8 : "|open|"u8);
            if (Text(info, "finish"u8) is { } finish)
            {
                key.Append(finish);
            }

            key.Append("|"u8);
            if (info.TryGetProperty("error"u8, out JsonElement error))
            {
                key.Append(OpencodeErrorText.Name(error) ?? "error");
            }

            return true;
        }

        if (type == OpencodeEventTypes.MessagePartUpdated && properties.TryGetProperty("part"u8, out JsonElement part) && Id(part) is { } partId)
        {
            key.Append("p|"u8);
            key.Append(partId);
            key.Append("|"u8);
            JsonElement? partType = Text(part, "type"u8);
            if (partType is { } named)
            {
                key.Append(named);
            }

            if (partType?.ValueEquals("tool"u8) == true)
            {
                key.Append("|"u8);
                if (part.TryGetProperty("state"u8, out JsonElement state) && state.ValueKind == JsonValueKind.Object && Text(state, "status"u8) is { } status)
                {
                    key.Append(status);
                }
            }
            else if (partType?.ValueEquals("text"u8) == true || partType?.ValueEquals("reasoning"u8) == true)
            {
                bool ended = part.TryGetProperty("time"u8, out JsonElement t) && t.ValueKind == JsonValueKind.Object && t.TryGetProperty("end"u8, out _);
                key.Append("|"u8);
                key.Append(Text(part, "text"u8) is { } text ? Utf16Length(text) : 0);
                key.Append(ended ? "|end"u8 : "|open"u8);
            }

            return true;
        }

        return false;
    }

    private static JsonElement? Id(JsonElement element) => element.ValueKind == JsonValueKind.Object ? Text(element, "id"u8) : null;

    private static JsonElement? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value : null;

    // The length a string has in .NET (UTF-16 code units), which is what both sources agree on whatever their escaping.
    private static int Utf16Length(JsonElement text)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(text)[1..^1];
        return raw.Contains((byte)'\\') ? text.GetString()!.Length : Encoding.UTF8.GetCharCount(raw);
    }

    /// <summary>The bytes of a key: on the stack, in a rented array once they outgrow it.</summary>
    private ref struct KeyBytes(Span<byte> initial)
    {
        private Span<byte> buffer = initial;
        private byte[]? rented;
        private int length;

        public readonly ReadOnlySpan<byte> Written => buffer[..length];

        public void Append(scoped ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(buffer[length..]);
            length += bytes.Length;
        }

        public void Append(string text)
        {
            Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            length += Encoding.UTF8.GetBytes(text, buffer[length..]);
        }

        // A JSON string's unescaped value; ids and names are rarely escaped, so usually a copy of the raw bytes.
        public void Append(JsonElement value)
        {
            ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
            if (raw.Contains((byte)'\\'))
            {
                Append(value.GetString()!);
            }
            else
            {
                Append(raw);
            }
        }

        public void Append(int number)
        {
            Reserve(11);
            Utf8Formatter.TryFormat(number, buffer[length..], out int written);
            length += written;
        }

        public readonly void Dispose()
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        private void Reserve(int more)
        {
            if (length + more <= buffer.Length)
            {
                return;
            }

            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + more));
            buffer[..length].CopyTo(larger);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            rented = larger;
            buffer = larger;
        }
    }
}
