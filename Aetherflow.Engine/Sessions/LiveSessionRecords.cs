namespace Aetherflow.Engine.Sessions;

/// <summary>Turns a live session into the registry record it stands for, from the metadata aetherflow tagged it with.</summary>
internal static class LiveSessionRecords
{
    /// <summary>
    /// The record for <paramref name="session"/>, or null: with <paramref name="problem"/> null when the session is not
    /// aetherflow's (no <c>af_</c> metadata — a person's own session), otherwise saying why it cannot be recorded.
    /// Metadata values that break the field rules are left out rather than trusted.
    /// </summary>
    public static SessionRecord? ToRecord(LiveSession session, DateTimeOffset now, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(session);
        IReadOnlyDictionary<string, string> metadata = session.Metadata;
        string? agent = Value(metadata, SessionMetadataKeys.Agent);
        string? task = Value(metadata, SessionMetadataKeys.Task);
        string? origin = Value(metadata, SessionMetadataKeys.Origin);
        if (agent is null && task is null && origin is null)
        {
            problem = null;
            return null;
        }

        problem = SessionFields.CheckServerRef(session.ServerRef) ?? SessionFields.CheckSessionId(session.SessionId);
        if (problem is not null)
        {
            return null;
        }

        string? project = Value(metadata, SessionMetadataKeys.Project);
        return new SessionRecord
        {
            ServerRef = session.ServerRef,
            SessionId = session.SessionId,
            Directory = SessionFields.CheckDirectory(session.Directory) is null ? session.Directory : null,
            Project = SessionFields.CheckProject(project) is null ? project : null,
            OriginType = origin is null ? null : SessionFields.ParseOrigin(origin),
            WorkRef = SessionFields.CheckWorkRef(task) is null ? task : null,
            AgentId = SessionFields.CheckAgentId(agent) is null ? agent : null,
            Status = session.Busy ? SessionStatus.Active : SessionStatus.Idle,
            CreatedAt = session.CreatedAt ?? now,
            LastSeenAt = now,
            UpdatedAt = now,
        };
    }

    private static string? Value(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? value) && !string.IsNullOrEmpty(value) ? value : null;
}
