using System.Text.Json;

namespace Aetherflow.Engine.Sessions;

/// <summary>
/// One element of the <c>records</c> array as it is on disk. A readable element becomes a <see cref="SessionRecord"/>
/// and keeps the properties v1 does not define, so they are written back unchanged; an element that breaks the
/// schema (a bad id, an unknown status) is hidden from callers but written back exactly as it was — the registry never
/// destroys what another writer recorded.
/// </summary>
internal sealed class StoredSessionRecord
{
    private StoredSessionRecord(
        SessionRecord? record, IReadOnlyList<KeyValuePair<string, JsonElement>> extras, JsonElement? original, string? problem, (string, string)? key)
    {
        Record = record;
        Extras = extras;
        Original = original;
        Problem = problem;
        Key = key;
    }

    /// <summary>The record, or null when the element is unreadable.</summary>
    public SessionRecord? Record { get; }

    /// <summary>Properties outside schema v1, in file order (kept when an upsert replaces an unreadable element).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Extras { get; }

    /// <summary>The element as read, kept only when it is unreadable.</summary>
    public JsonElement? Original { get; }

    /// <summary>Why the element is unreadable.</summary>
    public string? Problem { get; }

    /// <summary>The server ref and session id, when the element has them (even if it is otherwise unreadable).</summary>
    public (string ServerRef, string SessionId)? Key { get; }

    public static StoredSessionRecord New(SessionRecord record) => new(record, [], null, null, (record.ServerRef, record.SessionId));

    /// <summary>Reads one element of <c>records</c>.</summary>
    public static StoredSessionRecord Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Unreadable(element, $"it is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, not an object", null, []);
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var extras = new List<KeyValuePair<string, JsonElement>>();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (SessionFields.Known.Contains(property.Name))
            {
                fields[property.Name] = property.Value;
            }
            else
            {
                extras.RemoveAll(e => e.Key == property.Name);
                extras.Add(new(property.Name, property.Value.Clone()));
            }
        }

        var reader = new FieldReader(fields);
        string? serverRef = reader.Text(SessionFields.ServerRef);
        string? sessionId = reader.Text(SessionFields.SessionId);
        (string, string)? key = serverRef is not null && sessionId is not null ? (serverRef, sessionId) : null;
        string? statusText = reader.Text(SessionFields.Status);
        string? originText = reader.Text(SessionFields.OriginType);
        SessionStatus? status = statusText is null ? SessionStatus.Active : SessionFields.ParseStatus(statusText);
        SessionOrigin? origin = originText is null ? null : SessionFields.ParseOrigin(originText);
        var record = new SessionRecord
        {
            ServerRef = serverRef ?? string.Empty,
            SessionId = sessionId ?? string.Empty,
            Directory = reader.Text(SessionFields.Directory),
            Project = reader.Text(SessionFields.Project),
            OriginType = origin,
            WorkRef = reader.Text(SessionFields.WorkRef),
            AgentId = reader.Text(SessionFields.AgentId),
            Status = status ?? SessionStatus.Active,
            CreatedAt = reader.Time(SessionFields.CreatedAt),
            LastSeenAt = reader.Time(SessionFields.LastSeenAt),
            UpdatedAt = reader.Time(SessionFields.UpdatedAt),
        };

        string? problem = reader.Problem
            ?? SessionFields.CheckServerRef(serverRef)
            ?? SessionFields.CheckSessionId(sessionId)
            ?? (status is null ? $"{SessionFields.Status} {SessionFields.Quote(statusText)} is not active, idle, terminated or stale" : null)
            ?? (originText is not null && origin is null ? $"{SessionFields.OriginType} {SessionFields.Quote(originText)} is not pool, spawn or manual" : null)
            ?? SessionFields.CheckDirectory(record.Directory)
            ?? SessionFields.CheckProject(record.Project)
            ?? SessionFields.CheckWorkRef(record.WorkRef)
            ?? SessionFields.CheckAgentId(record.AgentId);
        return problem is null ? new StoredSessionRecord(record, extras, null, null, key) : Unreadable(element, problem, key, extras);
    }

    /// <summary>The same element holding <paramref name="record"/>, keeping the properties v1 does not define.</summary>
    public StoredSessionRecord With(SessionRecord record) => new(record, Extras, null, null, (record.ServerRef, record.SessionId));

    /// <summary>Writes the element: the v1 fields in schema order (optional ones only when set), then the others.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Record is null)
        {
            Original!.Value.WriteTo(writer);
            return;
        }

        SessionRecord r = Record;
        writer.WriteStartObject();
        writer.WriteString(SessionFields.ServerRef, r.ServerRef);
        writer.WriteString(SessionFields.SessionId, r.SessionId);
        WriteOptional(writer, SessionFields.Directory, r.Directory);
        WriteOptional(writer, SessionFields.Project, r.Project);
        WriteOptional(writer, SessionFields.OriginType, r.OriginType is { } origin ? SessionFields.Format(origin) : null);
        WriteOptional(writer, SessionFields.WorkRef, r.WorkRef);
        WriteOptional(writer, SessionFields.AgentId, r.AgentId);
        writer.WriteString(SessionFields.Status, SessionFields.Format(r.Status));
        writer.WriteString(SessionFields.CreatedAt, SessionFields.FormatTime(r.CreatedAt));
        writer.WriteString(SessionFields.LastSeenAt, SessionFields.FormatTime(r.LastSeenAt));
        writer.WriteString(SessionFields.UpdatedAt, SessionFields.FormatTime(r.UpdatedAt));
        foreach ((string name, JsonElement value) in Extras)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static StoredSessionRecord Unreadable(
        JsonElement element, string problem, (string, string)? key, IReadOnlyList<KeyValuePair<string, JsonElement>> extras) =>
        new(null, extras, element.Clone(), problem, key);

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Reads v1 fields, remembering the first one of the wrong type. Null and "" mean "not set", as in Go.</summary>
    private sealed class FieldReader(Dictionary<string, JsonElement> fields)
    {
        public string? Problem { get; private set; }

        public string? Text(string name)
        {
            if (!fields.TryGetValue(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Problem ??= $"{name} is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a string";
                return null;
            }

            string text = value.GetString()!;
            return text.Length == 0 ? null : text;
        }

        public DateTimeOffset Time(string name)
        {
            string? text = Text(name);
            if (text is null)
            {
                return DateTimeOffset.MinValue;
            }

            if (SessionFields.ParseTime(text) is { } time)
            {
                return time;
            }

            Problem ??= $"{name} {SessionFields.Quote(text)} is not an RFC 3339 time";
            return DateTimeOffset.MinValue;
        }
    }
}
