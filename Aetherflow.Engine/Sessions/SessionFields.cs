using System.Globalization;
using System.Text.RegularExpressions;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Sessions;

/// <summary>
/// The schema v1 field names and the rules a field's value must follow, used both for values given to the registry
/// and for values read from the file (which any process could have written).
/// </summary>
internal static partial class SessionFields
{
    public const string SchemaVersion = "schema_version";
    public const string Records = "records";

    public const string ServerRef = "server_ref";
    public const string SessionId = "session_id";
    public const string Directory = "directory";
    public const string Project = "project";
    public const string OriginType = "origin_type";
    public const string WorkRef = "work_ref";
    public const string AgentId = "agent_id";
    public const string Status = "status";
    public const string CreatedAt = "created_at";
    public const string LastSeenAt = "last_seen_at";
    public const string UpdatedAt = "updated_at";

    private const int MaxServerRefLength = 2048;
    private const int MaxDirectoryLength = 4096;

    /// <summary>Every field of a v1 record; any other property is kept as it is.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        ServerRef, SessionId, Directory, Project, OriginType, WorkRef, AgentId, Status, CreatedAt, LastSeenAt, UpdatedAt,
    };

    public static string? CheckServerRef(string? value) =>
        value is { Length: > 0 and <= MaxServerRefLength } && !value.Any(char.IsControl)
            ? null
            : $"{ServerRef} must be 1-{MaxServerRefLength} characters without control characters";

    public static string? CheckSessionId(string? value) =>
        Identifiers.IsSessionId(value) ? null : $"{SessionId} {Quote(value)} is not an opencode session id (letters, digits, '_' and '-', at most 128)";

    public static string? CheckDirectory(string? value) =>
        value is null || (value.Length <= MaxDirectoryLength && Path.IsPathRooted(value) && !value.Any(char.IsControl))
            ? null
            : $"{Directory} {Quote(value)} must be an absolute path";

    public static string? CheckProject(string? value) =>
        value is null || Identifiers.IsProjectName(value) ? null : $"{Project} {Quote(value)} is not a valid project name; {Identifiers.ProjectNameRule}";

    public static string? CheckWorkRef(string? value) =>
        value is null || Identifiers.IsTaskId(value) ? null : $"{WorkRef} {Quote(value)} is not a valid task id; {Identifiers.ProjectNameRule}";

    public static string? CheckAgentId(string? value) =>
        value is null || Identifiers.IsProjectName(value) ? null : $"{AgentId} {Quote(value)} is not a valid agent name; {Identifiers.ProjectNameRule}";

    public static string Format(SessionStatus status) => status switch
    {
        SessionStatus.Active => "active",
        SessionStatus.Idle => "idle",
        SessionStatus.Terminated => "terminated",
        SessionStatus.Stale => "stale",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown session status"),
    };

    public static string Format(SessionOrigin origin) => origin switch
    {
        SessionOrigin.Pool => "pool",
        SessionOrigin.Spawn => "spawn",
        SessionOrigin.Manual => "manual",
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "unknown session origin"),
    };

    public static SessionStatus? ParseStatus(string text) => text switch
    {
        "active" => SessionStatus.Active,
        "idle" => SessionStatus.Idle,
        "terminated" => SessionStatus.Terminated,
        "stale" => SessionStatus.Stale,
        _ => null,
    };

    public static SessionOrigin? ParseOrigin(string text) => text switch
    {
        "pool" => SessionOrigin.Pool,
        "spawn" => SessionOrigin.Spawn,
        "manual" => SessionOrigin.Manual,
        _ => null,
    };

    /// <summary>RFC 3339 in UTC with as many fraction digits as needed: <c>2026-05-01T10:00:00.25Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 time with an offset (Go writes nine fraction digits; they are rounded to 100 ns).</summary>
    public static DateTimeOffset? ParseTime(string text) =>
        Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset time)
            ? time.ToUniversalTime()
            : null;

    public static string Quote(string? value) => value is null ? "(missing)" : $"'{TerminalText.Truncate(TerminalText.SanitizeLine(value), 80)}'";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
