using System.Globalization;
using System.Text.Json;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// The identity of the information an event carries, so the same state seen twice (live and then again from the
/// messages API) is recognised: a message by id + completed flag + finish + error; a tool part by id + state status;
/// a text or reasoning part by id + text length + ended flag; any other part by id + type. Other events have no key.
/// </summary>
public static class OpencodeDedupKey
{
    /// <summary>The key of an event of <paramref name="type"/> with <paramref name="properties"/>, or null when it has none.</summary>
    public static string? For(string type, JsonElement properties)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (type == OpencodeEventTypes.MessageUpdated && properties.TryGetProperty("info"u8, out JsonElement info) && Id(info) is { } messageId)
        {
            bool completed = info.TryGetProperty("time"u8, out JsonElement time) && time.ValueKind == JsonValueKind.Object
                && time.TryGetProperty("completed"u8, out JsonElement done) && done.ValueKind == JsonValueKind.Number;
            string finish = Text(info, "finish"u8) ?? string.Empty;
            string error = info.TryGetProperty("error"u8, out JsonElement e) ? OpencodeErrorText.Name(e) ?? "error" : string.Empty;
            return $"m|{messageId}|{(completed ? "done" : "open")}|{finish}|{error}";
        }

        if (type == OpencodeEventTypes.MessagePartUpdated && properties.TryGetProperty("part"u8, out JsonElement part) && Id(part) is { } partId)
        {
            string partType = Text(part, "type"u8) ?? string.Empty;
            switch (partType)
            {
                case "tool":
                    string status = part.TryGetProperty("state"u8, out JsonElement state) && state.ValueKind == JsonValueKind.Object ? Text(state, "status"u8) ?? string.Empty : string.Empty;
                    return $"p|{partId}|tool|{status}";
                case "text" or "reasoning":
                    int length = Text(part, "text"u8)?.Length ?? 0;
                    bool ended = part.TryGetProperty("time"u8, out JsonElement t) && t.ValueKind == JsonValueKind.Object && t.TryGetProperty("end"u8, out _);
                    return string.Create(CultureInfo.InvariantCulture, $"p|{partId}|{partType}|{length}|{(ended ? "end" : "open")}");
                default:
                    return $"p|{partId}|{partType}";
            }
        }

        return null;
    }

    private static string? Id(JsonElement element) => element.ValueKind == JsonValueKind.Object ? Text(element, "id"u8) : null;

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
