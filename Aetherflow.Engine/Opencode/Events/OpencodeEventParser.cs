using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Parses one opencode event in any of the forms it arrives in:
/// <list type="bullet">
/// <item><c>GET /global/event</c>: <c>{"directory","project","payload":{id,type,properties}}</c> (and sync records,
/// <c>"payload":{"type":"sync","syncEvent":{type,seq,aggregateID,data}}</c>);</item>
/// <item><c>GET /event</c> and the plugin <c>event</c> hook: <c>{id,type,properties}</c>;</item>
/// <item>the forwarder plugin: <c>{"directory","event":{id,type,properties}}</c>, and its <c>af.plugin.loaded</c> hello.</item>
/// </list>
/// </summary>
/// <remarks>
/// The session is taken from the field that holds it <b>for that event type</b>: <c>session.created/updated/deleted</c>
/// → <c>properties.info.id</c>; <c>message.updated</c> → <c>properties.info.sessionID</c> (its <c>info.id</c> is the
/// <i>message</i> id — the original filed these events under message ids); <c>message.part.updated</c> →
/// <c>properties.part.sessionID</c>; everything else → <c>properties.sessionID</c>. Each falls back to
/// <c>properties.sessionID</c>, which newer servers add everywhere. A session id that is not
/// <c>[A-Za-z0-9_-]{1,128}</c> makes the event invalid: it would become a file name.
/// </remarks>
public static class OpencodeEventParser
{
    /// <summary>
    /// Parses <paramref name="utf8"/>. The returned event references the memory (no copy): do not change it until the
    /// event is disposed. Returns false with a one-line <paramref name="error"/> for anything that is not an event.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, [NotNullWhen(true)] out OpencodeEvent? parsed, [NotNullWhen(false)] out string? error) =>
        TryParse(utf8, strings: null, out parsed, out error);

    /// <summary>
    /// Like <see cref="TryParse(ReadOnlyMemory{byte}, out OpencodeEvent?, out string?)"/>; session ids that repeat
    /// come from <paramref name="strings"/> (one per stream or connection) instead of a new string per event.
    /// </summary>
    internal static bool TryParse(ReadOnlyMemory<byte> utf8, JsonStringCache? strings, [NotNullWhen(true)] out OpencodeEvent? parsed, [NotNullWhen(false)] out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException ex)
        {
            parsed = null;
            error = $"not JSON: {ex.Message}";
            return false;
        }

        return TryInterpret(document, document.RootElement, strings, out parsed, out error);
    }

    /// <summary>
    /// Interprets <paramref name="root"/>, an element of <paramref name="document"/> that is already parsed (the socket
    /// parses a whole <c>session.event</c> line once and hands over its params). Takes ownership of
    /// <paramref name="document"/>: the returned event disposes it, and it is disposed here when this returns false.
    /// </summary>
    internal static bool TryInterpret(JsonDocument document, JsonElement root, JsonStringCache? strings, [NotNullWhen(true)] out OpencodeEvent? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        try
        {
            parsed = Interpret(document, root, strings, out error);
            return parsed is not null;
        }
        finally
        {
            if (parsed is null)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>Like <see cref="TryParse(ReadOnlyMemory{byte}, out OpencodeEvent?, out string?)"/>, but throws <see cref="FormatException"/> for anything that is not an event.</summary>
    public static OpencodeEvent Parse(ReadOnlyMemory<byte> utf8) =>
        TryParse(utf8, out OpencodeEvent? parsed, out string? error) ? parsed : throw new FormatException($"Not an opencode event: {error}");

    /// <summary>The session an event of <paramref name="type"/> with <paramref name="properties"/> belongs to (unvalidated), or null.</summary>
    public static string? FindSessionId(string type, JsonElement properties) => FindSessionId(type, properties, strings: null);

    private static string? FindSessionId(string type, JsonElement properties, JsonStringCache? strings)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? specific = type switch
        {
            OpencodeEventTypes.SessionCreated or OpencodeEventTypes.SessionUpdated or OpencodeEventTypes.SessionDeleted => Nested(properties, "info"u8, "id"u8, strings),
            OpencodeEventTypes.MessageUpdated => Nested(properties, "info"u8, "sessionID"u8, strings),
            OpencodeEventTypes.MessagePartUpdated => Nested(properties, "part"u8, "sessionID"u8, strings),
            _ => null,
        };
        return specific ?? String(properties, "sessionID"u8, strings);
    }

    internal static OpencodeEvent CreateSessionEvent(JsonDocument document, string type, string sessionId, bool backfill) =>
        new(document, document.RootElement, OpencodeEventTypes.IsTransient(type) ? OpencodeEventKind.Transient : OpencodeEventKind.Session, type, document.RootElement)
        {
            SessionId = sessionId,
            IsBackfill = backfill,
        };

    private static OpencodeEvent? Interpret(JsonDocument document, JsonElement root, JsonStringCache? strings, out string? error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "not a JSON object";
            return null;
        }

        // Read only when asked for (most events never are): a string each would be made for nothing.
        JsonElement directory = Member(root, "directory"u8);
        JsonElement project = Member(root, "project"u8);
        JsonElement payload = root;
        if (root.TryGetProperty("payload"u8, out JsonElement globalPayload) && globalPayload.ValueKind == JsonValueKind.Object)
        {
            payload = globalPayload;
        }
        else if (root.TryGetProperty("event"u8, out JsonElement pluginEvent) && pluginEvent.ValueKind == JsonValueKind.Object)
        {
            payload = pluginEvent;
        }

        if (!payload.TryGetProperty("type"u8, out JsonElement typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            error = "no event type";
            return null;
        }

        string type = OpencodeEventTypes.Read(typeElement);
        JsonElement id = Member(payload, "id"u8);
        if (type == OpencodeEventTypes.PluginLoaded)
        {
            error = null;
            return new OpencodeEvent(document, root, OpencodeEventKind.PluginHello, type, payload) { Envelope = new(id, directory, default) };
        }

        if (type == OpencodeEventTypes.Sync)
        {
            return InterpretSync(document, root, payload, new(id, directory, project), out error);
        }

        bool keepAlive = type is OpencodeEventTypes.ServerConnected or OpencodeEventTypes.ServerHeartbeat;
        if (!payload.TryGetProperty("properties"u8, out JsonElement properties) || properties.ValueKind != JsonValueKind.Object)
        {
            if (!keepAlive)
            {
                error = $"{type} event without a properties object";
                return null;
            }

            properties = payload;
        }

        OpencodeEventKind kind;
        string? sessionId = null;
        if (keepAlive)
        {
            kind = OpencodeEventKind.Connection;
        }
        else if (type.StartsWith("tui.", StringComparison.Ordinal) || (sessionId = FindSessionId(type, properties, strings)) is null)
        {
            // tui.* events steer opencode's own terminal UI; their session ids are not agent activity.
            kind = OpencodeEventKind.Global;
            sessionId = null;
        }
        else if (!Identifiers.IsSessionId(sessionId))
        {
            error = $"{type} event has an invalid session id '{TerminalText.Truncate(TerminalText.SanitizeLine(sessionId), 40)}'";
            return null;
        }
        else
        {
            kind = OpencodeEventTypes.IsTransient(type) ? OpencodeEventKind.Transient : OpencodeEventKind.Session;
        }

        error = null;
        return new OpencodeEvent(document, root, kind, type, properties)
        {
            SessionId = sessionId,
            Envelope = new(id, directory, project),
        };
    }

    private static OpencodeEvent? InterpretSync(JsonDocument document, JsonElement root, JsonElement payload, OpencodeEventEnvelope envelope, out string? error)
    {
        if (!payload.TryGetProperty("syncEvent"u8, out JsonElement record) || record.ValueKind != JsonValueKind.Object)
        {
            error = "sync event without a syncEvent record";
            return null;
        }

        if (!record.TryGetProperty("data"u8, out JsonElement data) || data.ValueKind != JsonValueKind.Object)
        {
            error = "sync record without a data object";
            return null;
        }

        string? aggregate = String(record, "aggregateID"u8);
        string? sessionId = aggregate is not null && aggregate.StartsWith("ses", StringComparison.Ordinal)
            ? aggregate
            : String(data, "sessionID"u8);
        if (sessionId is not null && !Identifiers.IsSessionId(sessionId))
        {
            error = "sync event has an invalid session id";
            return null;
        }

        error = null;
        return new OpencodeEvent(document, root, OpencodeEventKind.Sync, OpencodeEventTypes.Sync, data)
        {
            SessionId = sessionId,
            Envelope = envelope.Id.ValueKind == JsonValueKind.String ? envelope : envelope with { Id = Member(record, "id"u8) },
            SyncType = String(record, "type"u8),
            SyncSequence = record.TryGetProperty("seq"u8, out JsonElement seq) && seq.ValueKind == JsonValueKind.Number && seq.TryGetInt64(out long n) ? n : null,
        };
    }

    private static string? Nested(JsonElement element, ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner, JsonStringCache? strings) =>
        element.TryGetProperty(outer, out JsonElement child) && child.ValueKind == JsonValueKind.Object ? String(child, inner, strings) : null;

    private static string? String(JsonElement element, ReadOnlySpan<byte> name, JsonStringCache? strings = null) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? strings?.Get(value) ?? value.GetString() : null;

    // The member's value when it is a string, otherwise nothing (the default element).
    private static JsonElement Member(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value : default;
}
