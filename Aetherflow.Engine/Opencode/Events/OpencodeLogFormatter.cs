using System.Globalization;
using System.Text.Json;
using Aetherflow.Engine.Collections;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Turns one session's events into log lines, in order: a tool call when it starts running and once more when it
/// finishes (<c>bash ✓ dotnet test (4.2s)</c>), each finished text part once, step summaries, session errors, retries
/// and permission requests. Everything else returns null. Untrusted text is sanitised with <see cref="TerminalText"/>
/// before it is truncated.
/// </summary>
/// <remarks>
/// opencode sends a part many times as it changes (a tool: pending, running twice, completed; a text: empty, then
/// final). The formatter remembers which parts it already showed at which stage, so each appears once per stage — feed
/// it one session's events in order, through one instance. It remembers a bounded number of parts.
/// </remarks>
public sealed class OpencodeLogFormatter
{
    private const int PartsRemembered = 10_000;
    private const int LabelLength = 80;
    private const int DetailLength = 100;
    private const byte Running = 1;
    private const byte Finished = 2;

    private readonly int maxTextLength;
    private readonly RecentMap<byte> shown = new(PartsRemembered);

    /// <summary>Creates a formatter that cuts text lines to <paramref name="maxTextLength"/> characters.</summary>
    public OpencodeLogFormatter(int maxTextLength = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTextLength, 10);
        this.maxTextLength = maxTextLength;
    }

    /// <summary>Formats a stored event; null when it is not shown (or was shown already).</summary>
    public LogLine? Format(SessionEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        using JsonDocument payload = JsonDocument.Parse(stored.Payload);
        return Format(stored.Type, payload.RootElement, stored.ReceivedAt);
    }

    /// <summary>Formats an event of <paramref name="type"/>; null when it is not shown (or was shown already).</summary>
    public LogLine? Format(string type, JsonElement properties, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        switch (type)
        {
            case OpencodeEventTypes.MessagePartUpdated when properties.TryGetProperty("part"u8, out JsonElement part) && part.ValueKind == JsonValueKind.Object:
                return FormatPart(part, receivedAt);
            case OpencodeEventTypes.SessionError:
                string error = properties.TryGetProperty("error"u8, out JsonElement e) ? OpencodeErrorText.Describe(e) ?? "session error" : "session error";
                return new LogLine(receivedAt, LogLineKind.Error, [new(LogSegmentKind.Error, "error: " + error)]);
            case OpencodeEventTypes.SessionStatus when properties.TryGetProperty("status"u8, out JsonElement status) && Text(status, "type"u8) == "retry":
                string attempt = status.TryGetProperty("attempt"u8, out JsonElement a) && a.ValueKind == JsonValueKind.Number ? a.GetRawText() : "?";
                string why = Clean(Text(status, "message"u8), maxTextLength);
                return new LogLine(receivedAt, LogLineKind.Retry, [new(LogSegmentKind.Warning, $"retrying (attempt {attempt})" + (why.Length > 0 ? ": " + why : string.Empty))]);
            case OpencodeEventTypes.PermissionAsked:
                string permission = Clean(Text(properties, "permission"u8) ?? "permission", LabelLength);
                string patterns = properties.TryGetProperty("patterns"u8, out JsonElement p) && p.ValueKind == JsonValueKind.Array
                    ? Clean(string.Join(", ", p.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString())), LabelLength)
                    : string.Empty;
                return new LogLine(receivedAt, LogLineKind.Permission, [new(LogSegmentKind.Warning, $"waiting for permission: {permission}" + (patterns.Length > 0 ? $" ({patterns})" : string.Empty))]);
            default:
                return null;
        }
    }

    /// <summary><c>850ms</c>, <c>4.2s</c>, <c>2m5s</c>.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        long ms = Math.Max(0, (long)duration.TotalMilliseconds);
        if (ms < 1000)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        if (ms < 59_950)
        {
            return (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + "s";
        }

        long seconds = (ms + 500) / 1000;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60}s");
    }

    /// <summary><c>950</c>, <c>1.5k</c>, <c>12k</c>.</summary>
    public static string FormatCount(long count) => count switch
    {
        < 1000 => count.ToString(CultureInfo.InvariantCulture),
        < 10_000 => (Math.Floor(count / 100.0) / 10).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => (count / 1000).ToString(CultureInfo.InvariantCulture) + "k",
    };

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : 0;

    // Sanitise first, then cut: cutting first could leave half an escape sequence, and would count invisible characters.
    private static string Clean(string? text, int length) => TerminalText.Truncate(TerminalText.SanitizeLine(text).Trim(), length);

    private LogLine? FormatPart(JsonElement part, DateTimeOffset receivedAt)
    {
        string? id = Text(part, "id"u8);
        return Text(part, "type"u8) switch
        {
            "tool" => FormatTool(part, id, receivedAt),
            "text" => FormatText(part, id, receivedAt),
            "step-finish" => FormatStep(part, id, receivedAt),
            _ => null,
        };
    }

    private LogLine? FormatTool(JsonElement part, string? id, DateTimeOffset receivedAt)
    {
        ToolCall? call = ToolPartReader.Read(part, previous: null, receivedAt);
        if (call is null || id is null)
        {
            return null;
        }

        bool finished = call.Status is ToolCallStatus.Completed or ToolCallStatus.Error;
        string label = TerminalText.Truncate(call.Label, LabelLength);
        if (call.Status == ToolCallStatus.Pending || (!finished && label.Length == 0) || !TryAdvance(id, finished ? Finished : Running))
        {
            return null;
        }

        var segments = new List<LogSegment>(5) { new(LogSegmentKind.Tool, call.Tool), new(LogSegmentKind.Plain, " ") };
        segments.Add(call.Status switch
        {
            ToolCallStatus.Completed => new(LogSegmentKind.Success, "✓"),
            ToolCallStatus.Error => new(LogSegmentKind.Failure, "✗"),
            _ => new(LogSegmentKind.Running, "…"),
        });
        segments.Add(new(LogSegmentKind.Plain, label));
        if (finished && call.Duration is { } duration)
        {
            segments.Add(new(LogSegmentKind.Dim, $" ({FormatDuration(duration)})"));
        }

        string? detail = call.Status == ToolCallStatus.Error ? call.Error is null ? null : TerminalText.Truncate(call.Error, DetailLength) : null;
        if (call.Status == ToolCallStatus.Completed && call.Tool == "bash" && part.TryGetProperty("state"u8, out JsonElement state))
        {
            detail = FirstLine(Text(state, "output"u8));
        }

        return new LogLine(call.EndedAt ?? call.StartedAt ?? receivedAt, LogLineKind.Tool, segments, detail);
    }

    private LogLine? FormatText(JsonElement part, string? id, DateTimeOffset receivedAt)
    {
        // Assistant text parts are timed and shown once they end; a part without timing is the prompt (a user part).
        bool timed = part.TryGetProperty("time"u8, out JsonElement time) && time.ValueKind == JsonValueKind.Object;
        DateTimeOffset? end = ToolPartReader.Milliseconds(time, "end"u8);
        string text = Clean(Text(part, "text"u8), maxTextLength);
        if (id is null || text.Length == 0 || (timed && end is null) || !TryAdvance(id, Finished))
        {
            return null;
        }

        return timed
            ? new LogLine(end ?? receivedAt, LogLineKind.Text, [new(LogSegmentKind.Plain, text)])
            : new LogLine(receivedAt, LogLineKind.Prompt, [new(LogSegmentKind.Dim, "› " + text)]);
    }

    private LogLine? FormatStep(JsonElement part, string? id, DateTimeOffset receivedAt)
    {
        JsonElement tokens = part.TryGetProperty("tokens"u8, out JsonElement t) ? t : default;
        JsonElement cache = tokens.ValueKind == JsonValueKind.Object && tokens.TryGetProperty("cache"u8, out JsonElement c) ? c : default;
        long output = Number(tokens, "output"u8);
        long cached = Number(cache, "read"u8);
        if (id is null || (Number(tokens, "input"u8) == 0 && output == 0 && Number(tokens, "reasoning"u8) == 0 && cached == 0) || !TryAdvance(id, Finished))
        {
            return null;
        }

        string reason = Clean(Text(part, "reason"u8), 40);
        string summary = $"── step ── {FormatCount(output)} out  {FormatCount(cached)} cached" + (reason.Length > 0 ? $"  reason: {reason}" : string.Empty);
        return new LogLine(receivedAt, LogLineKind.Step, [new(LogSegmentKind.Dim, summary)]);
    }

    private static string? FirstLine(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return null;
        }

        foreach (string line in TerminalText.Sanitize(output).Split('\n'))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                return TerminalText.Truncate(TerminalText.SanitizeLine(line).Trim(), DetailLength);
            }
        }

        return null;
    }

    private bool TryAdvance(string partId, byte stage)
    {
        if (shown.TryGetValue(partId, out byte current) && current >= stage)
        {
            return false;
        }

        shown.Set(partId, stage);

        return true;
    }
}
