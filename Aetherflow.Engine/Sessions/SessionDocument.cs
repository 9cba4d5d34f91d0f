using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aetherflow.Engine.Sessions;

/// <summary>
/// The whole of <c>sessions.json</c>: <c>{ "schema_version": 1, "records": [ … ] }</c>, plus any top-level property a
/// later v1 writer added, which is written back unchanged.
/// </summary>
internal sealed class SessionDocument
{
    /// <summary>The schema version this code reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Larger files are not a registry this code wrote (records are bounded); they are treated as corrupt.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private SessionDocument(int schemaVersion, List<StoredSessionRecord> records, IReadOnlyList<KeyValuePair<string, JsonElement>> extras)
    {
        SchemaVersion = schemaVersion;
        Records = records;
        Extras = extras;
    }

    /// <summary>The version the file declares (0 and a missing one read as 1). Above 1, <see cref="Records"/> is empty.</summary>
    public int SchemaVersion { get; }

    /// <summary>Every element of <c>records</c>, readable or not, in file order.</summary>
    public List<StoredSessionRecord> Records { get; }

    /// <summary>Top-level properties other than <c>schema_version</c> and <c>records</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Extras { get; }

    /// <summary>The readable records.</summary>
    public IEnumerable<SessionRecord> Readable => Records.Select(r => r.Record).OfType<SessionRecord>();

    /// <summary>An empty v1 registry (what a missing file means).</summary>
    public static SessionDocument Empty() => new(CurrentVersion, [], []);

    /// <summary>Parses the file; throws <see cref="SessionFileCorruptException"/> when it is not a registry.</summary>
    public static SessionDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new SessionFileCorruptException(utf8.Length == 0 ? "it is empty" : $"it is not valid JSON ({ex.Message})", ex);
        }

        using (json)
        {
            JsonElement root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SessionFileCorruptException($"its top level is a JSON {Kind(root)}, not an object");
            }

            int version = CurrentVersion;
            JsonElement? records = null;
            var extras = new List<KeyValuePair<string, JsonElement>>();
            foreach (JsonProperty property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case SessionFields.SchemaVersion:
                        version = ReadVersion(property.Value);
                        break;
                    case SessionFields.Records:
                        records = property.Value;
                        break;
                    default:
                        extras.RemoveAll(e => e.Key == property.Name);
                        extras.Add(new(property.Name, property.Value.Clone()));
                        break;
                }
            }

            if (version > CurrentVersion)
            {
                // A newer schema may mean anything; read nothing from it and never write over it.
                return new SessionDocument(version, [], []);
            }

            if (records is not { ValueKind: not JsonValueKind.Null } list)
            {
                return new SessionDocument(CurrentVersion, [], extras);
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new SessionFileCorruptException($"its {SessionFields.Records} is a JSON {Kind(list)}, not an array");
            }

            return new SessionDocument(CurrentVersion, list.EnumerateArray().Select(StoredSessionRecord.Read).ToList(), extras);
        }
    }

    /// <summary>The file's bytes: indented JSON ending with a newline, always declaring version 1.</summary>
    public byte[] Serialize()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber(SessionFields.SchemaVersion, CurrentVersion);
            writer.WriteStartArray(SessionFields.Records);
            foreach (StoredSessionRecord record in Records)
            {
                record.WriteTo(writer);
            }

            writer.WriteEndArray();
            foreach ((string name, JsonElement value) in Extras)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The index of the element keyed by server ref and session id (readable or not), or -1.</summary>
    public int IndexOf(string serverRef, string sessionId) =>
        Records.FindIndex(r => r.Key is var (server, session) && server == serverRef && session == sessionId);

    private static int ReadVersion(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int version) && version >= 0)
        {
            return Math.Max(version, CurrentVersion);
        }

        throw new SessionFileCorruptException($"its {SessionFields.SchemaVersion} {SessionFields.Quote(value.GetRawText())} is not a version number");
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
