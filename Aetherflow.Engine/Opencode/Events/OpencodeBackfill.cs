using System.Buffers;
using System.Text.Json;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Turns the body of <c>GET /session/:id/message</c> — <c>[{"info": Message, "parts": [Part…]}…]</c>, oldest first —
/// into the events that would have carried the same information live: one <c>message.updated</c>
/// (<c>{"sessionID","info"}</c>) per message followed by one <c>message.part.updated</c> (<c>{"sessionID","part"}</c>)
/// per part. Run them through <see cref="OpencodeEventDeduplicator.TryAdd(OpencodeEvent)"/> and store and track only
/// the ones it accepts: then fetching after a gap adds exactly what was missed, and fetching twice adds nothing.
/// </summary>
/// <remarks>
/// The raw <c>info</c> and <c>part</c> JSON is copied into the new events as it came (no re-serialising). Messages of
/// another session are skipped. The events are <see cref="OpencodeEvent.IsBackfill"/>; their sequence in the store is
/// the order they were added, not the order they happened.
/// </remarks>
public static class OpencodeBackfill
{
    /// <summary>Converts <paramref name="messagesJson"/>; throws <see cref="FormatException"/> when it is not a message list.</summary>
    /// <param name="sessionId">The session that was asked for; must be a valid session id.</param>
    /// <param name="messagesJson">The response body.</param>
    /// <returns>The events, oldest first. The caller disposes each.</returns>
    public static IReadOnlyList<OpencodeEvent> ToEvents(string sessionId, ReadOnlySpan<byte> messagesJson)
    {
        if (!Identifiers.IsSessionId(sessionId))
        {
            throw new ArgumentException($"'{TerminalText.Truncate(TerminalText.SanitizeLine(sessionId), 40)}' is not a valid session id", nameof(sessionId));
        }

        var events = new List<OpencodeEvent>();
        try
        {
            var reader = new Utf8JsonReader(messagesJson);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The session's messages are not a JSON array; is this opencode's GET /session/:id/message?");
            }

            var buffer = new ArrayBufferWriter<byte>(1024);
            foreach (JsonElement entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("info"u8, out JsonElement info) || info.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (!info.TryGetProperty("sessionID"u8, out JsonElement owner) || !owner.ValueEquals(sessionId))
                {
                    continue;
                }

                events.Add(Create(buffer, sessionId, OpencodeEventTypes.MessageUpdated, "info"u8, info));
                if (entry.TryGetProperty("parts"u8, out JsonElement parts) && parts.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement part in parts.EnumerateArray())
                    {
                        if (part.ValueKind == JsonValueKind.Object)
                        {
                            events.Add(Create(buffer, sessionId, OpencodeEventTypes.MessagePartUpdated, "part"u8, part));
                        }
                    }
                }
            }

            return events;
        }
        catch (JsonException ex)
        {
            Dispose(events);
            throw new FormatException($"The session's messages are not valid JSON: {ex.Message}", ex);
        }
        catch
        {
            Dispose(events);
            throw;
        }
    }

    private static OpencodeEvent Create(ArrayBufferWriter<byte> buffer, string sessionId, string type, ReadOnlySpan<byte> name, JsonElement value)
    {
        buffer.Clear();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sessionID"u8, sessionId);
            writer.WritePropertyName(name);
            value.WriteTo(writer);
            writer.WriteEndObject();
        }

        JsonDocument properties = JsonDocument.Parse(buffer.WrittenMemory.ToArray());
        return OpencodeEventParser.CreateSessionEvent(properties, type, sessionId, backfill: true);
    }

    private static void Dispose(List<OpencodeEvent> events)
    {
        foreach (OpencodeEvent item in events)
        {
            item.Dispose();
        }
    }
}
