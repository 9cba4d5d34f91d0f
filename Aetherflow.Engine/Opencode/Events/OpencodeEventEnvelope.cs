using System.Text.Json;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// Where an event's id, instance directory and project are in its JSON: string elements, or the default element when
/// the event has none. Kept as elements so that only the events someone asks about get strings made for them.
/// </summary>
internal readonly record struct OpencodeEventEnvelope(JsonElement Id, JsonElement Directory, JsonElement Project);
