using System.Text.Json;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Events;

/// <summary>Reads opencode tool parts (<c>{id,tool,callID,state:{status,input,title,error,time:{start,end}}}</c>) into <see cref="ToolCall"/>s.</summary>
internal static class ToolPartReader
{
    private const int MaxLabel = 200;

    /// <summary>Merges <paramref name="part"/> into <paramref name="previous"/> (null for a new call); null when it is not a tool part.</summary>
    public static ToolCall? Read(JsonElement part, ToolCall? previous, DateTimeOffset receivedAt, JsonStringCache? strings = null)
    {
        if (!part.TryGetProperty("type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals("tool"u8)
            || Text(part, "id"u8, strings) is not { } partId)
        {
            return null;
        }

        string tool = Text(part, "tool"u8, strings) ?? previous?.Tool ?? "tool";
        JsonElement state = part.TryGetProperty("state"u8, out JsonElement s) && s.ValueKind == JsonValueKind.Object ? s : default;
        ToolCallStatus status = Status(state) ?? previous?.Status ?? ToolCallStatus.Pending;

        string keyInput = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("input"u8, out JsonElement input)
            ? TerminalText.Truncate(ToolKeyInput.Extract(tool, input), MaxLabel)
            : string.Empty;
        string? title = Text(state, "title"u8) is { Length: > 0 } t ? TerminalText.Truncate(TerminalText.SanitizeLine(t), MaxLabel) : null;
        (DateTimeOffset? start, DateTimeOffset? end) = Times(state);
        string? error = status == ToolCallStatus.Error && state.ValueKind == JsonValueKind.Object && state.TryGetProperty("error"u8, out JsonElement e)
            ? OpencodeErrorText.Describe(e)
            : null;

        return new ToolCall
        {
            PartId = partId,
            Tool = TerminalText.SanitizeLine(tool),
            CallId = Text(part, "callID"u8, strings) ?? previous?.CallId,
            Status = status,
            Title = title ?? previous?.Title,
            KeyInput = keyInput.Length > 0 ? keyInput : previous?.KeyInput ?? string.Empty,
            StartedAt = start ?? previous?.StartedAt,
            EndedAt = end ?? previous?.EndedAt,
            Error = error ?? previous?.Error,
            UpdatedAt = receivedAt,
        };
    }

    /// <summary>Reads <c>time.start</c> and <c>time.end</c> (Unix milliseconds) of a part or tool state.</summary>
    public static (DateTimeOffset? Start, DateTimeOffset? End) Times(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("time"u8, out JsonElement time) || time.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        return (Milliseconds(time, "start"u8), Milliseconds(time, "end"u8));
    }

    /// <summary>A Unix-milliseconds field as a time, or null.</summary>
    public static DateTimeOffset? Milliseconds(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt64(out long ms) && ms is > 0 and < 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    private static ToolCallStatus? Status(JsonElement state)
    {
        if (state.ValueKind != JsonValueKind.Object || !state.TryGetProperty("status"u8, out JsonElement status) || status.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return status.ValueEquals("pending"u8) ? ToolCallStatus.Pending
            : status.ValueEquals("running"u8) ? ToolCallStatus.Running
            : status.ValueEquals("completed"u8) ? ToolCallStatus.Completed
            : status.ValueEquals("error"u8) ? ToolCallStatus.Error
            : null;
    }

    // Ids and names repeat from one update of a part to the next: with a cache they are not made again each time.
    private static string? Text(JsonElement element, ReadOnlySpan<byte> name, JsonStringCache? strings = null) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? strings?.Get(value) ?? value.GetString()
            : null;
}
