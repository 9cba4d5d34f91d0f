using System.Runtime.InteropServices;
using System.Text.Json;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// One parsed opencode event: its type, the session it belongs to (chosen by type — see
/// <see cref="OpencodeEventParser"/>), what kind of event it is, and its <c>properties</c>. Owns the parsed JSON;
/// <see cref="Properties"/> and <see cref="PropertiesUtf8"/> are valid until the event is disposed.
/// </summary>
public sealed class OpencodeEvent : IDisposable
{
    private readonly JsonDocument document;

    /// <param name="document">The parsed JSON, owned (disposed) by the event.</param>
    /// <param name="root">The event's whole form within <paramref name="document"/> (for the plugin form, the notification's params).</param>
    /// <param name="kind">What the event is to the engine.</param>
    /// <param name="type">The event type.</param>
    /// <param name="properties">The event's properties within <paramref name="document"/>.</param>
    internal OpencodeEvent(JsonDocument document, JsonElement root, OpencodeEventKind kind, string type, JsonElement properties)
    {
        this.document = document;
        Root = root;
        Kind = kind;
        Type = type;
        Properties = properties;
    }

    /// <summary>What the event is to the engine; decides whether it is stored.</summary>
    public OpencodeEventKind Kind { get; }

    /// <summary>The event type, e.g. <c>message.part.updated</c>; <c>sync</c> for sync records.</summary>
    public string Type { get; }

    /// <summary>The session (<c>ses_…</c>, validated), or null for events that have none.</summary>
    public string? SessionId { get; internal init; }

    /// <summary>opencode's event id (<c>evt_…</c>), when it sent one. Read from the JSON when asked for: valid until the event is disposed.</summary>
    public string? Id => Read(Envelope.Id);

    /// <summary>
    /// The instance directory from the <c>/global/event</c> envelope or the plugin form (<c>global</c> for server-wide
    /// events). Read from the JSON when asked for: valid until the event is disposed.
    /// </summary>
    public string? Directory => Read(Envelope.Directory);

    /// <summary>The project id from the <c>/global/event</c> envelope. Read from the JSON when asked for: valid until the event is disposed.</summary>
    public string? Project => Read(Envelope.Project);

    /// <summary>For <see cref="OpencodeEventKind.Sync"/>: the record's type, e.g. <c>session.created.1</c>.</summary>
    public string? SyncType { get; internal init; }

    /// <summary>For <see cref="OpencodeEventKind.Sync"/>: opencode's per-aggregate sequence number.</summary>
    public long? SyncSequence { get; internal init; }

    /// <summary>True for events made by <see cref="OpencodeBackfill"/> from the messages API rather than received live.</summary>
    public bool IsBackfill { get; internal init; }

    /// <summary>The event's <c>properties</c> object (for sync records: the record's <c>data</c>).</summary>
    public JsonElement Properties { get; }

    /// <summary>The event's whole form (for the plugin form, the notification's params with its <c>seq</c>).</summary>
    internal JsonElement Root { get; }

    /// <summary>Where <see cref="Id"/>, <see cref="Directory"/> and <see cref="Project"/> are in the JSON (the default element for none).</summary>
    internal OpencodeEventEnvelope Envelope { private get; init; }

    /// <summary>The raw UTF-8 JSON of <see cref="Properties"/>, as received: what the event store keeps.</summary>
    public ReadOnlySpan<byte> PropertiesUtf8 => JsonMarshal.GetRawUtf8Value(Properties);

    /// <summary>True when the event goes into the session's stored history.</summary>
    public bool IsStored => Kind == OpencodeEventKind.Session;

    /// <summary>Returns the parsed JSON's pooled memory.</summary>
    public void Dispose() => document.Dispose();

    private static string? Read(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <inheritdoc/>
    public override string ToString() => SessionId is null ? $"{Type} ({Kind})" : $"{Type} {SessionId} ({Kind})";
}
