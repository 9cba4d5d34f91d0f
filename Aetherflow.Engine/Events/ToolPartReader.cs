using System.Text.Json;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Events;

/// <summary>Reads opencode tool parts (<c>{id,tool,callID,state:{status,input,title,error,time:{start,end}}}</c>) into <see cref="ToolCall"/>s.</summary>
internal static class ToolPartReader
{
    private const int MaxLabel = 200;

    /// <summary>Merges <paramref name="part"/> into <paramref name="previous"/> (null for a new call); null when it is not a tool part.</summary>
    public static ToolCall? Read(JsonElement part, ToolCall? previous, DateTimeOffset receivedAt)
    {
        if (Text(part, "id"u8) is not { } partId || Text(part, "type"u8) != "tool")
        {
            return null;
        }

        string tool = Text(part, "tool"u8) ?? previous?.Tool ?? "tool";
        JsonElement state = part.TryGetProperty("state"u8, out JsonElement s) && s.ValueKind == JsonValueKind.Object ? s : default;
        ToolCallStatus status = Text(state, "status"u8) switch
        {
            "pending" => ToolCallStatus.Pending,
            "running" => ToolCallStatus.Running,
            "completed" => ToolCallStatus.Completed,
            "error" => ToolCallStatus.Error,
            _ => previous?.Status ?? ToolCallStatus.Pending,
        };

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
            CallId = Text(part, "callID"u8) ?? previous?.CallId,
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

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
