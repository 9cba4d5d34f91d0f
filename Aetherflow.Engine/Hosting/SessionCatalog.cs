using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// This project's view of the session registry (shared by every engine of the user): the sessions clients may list,
/// and where to attach a TUI to one of them.
/// </summary>
internal sealed class SessionCatalog
{
    private readonly SessionRegistry? registry;
    private readonly OpencodeBackend? backend;
    private readonly AetherflowConfig config;

    public SessionCatalog(SessionRegistry? registry, OpencodeBackend? backend, AetherflowConfig config)
    {
        this.registry = registry;
        this.backend = backend;
        this.config = config;
    }

    /// <summary>This project's records, most recently updated first; empty when the runtime keeps no registry.</summary>
    public async Task<IReadOnlyList<SessionInfo>> ListAsync(CancellationToken cancellationToken)
    {
        if (registry is null)
        {
            return [];
        }

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(cancellationToken).ConfigureAwait(false);
        return records.Where(IsThisProject).Select(ToInfo).ToList();
    }

    /// <summary>Where to attach to <paramref name="sessionId"/>; the engine's own server comes with its credentials.</summary>
    public async Task<SessionAttachInfo> AttachAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsSessionId(sessionId))
        {
            throw new ArgumentException($"'{sessionId}' is not a session id (letters, digits, '_' and '-', like ses_4f1c2a)", nameof(sessionId));
        }

        if (registry is null)
        {
            throw new NotSupportedException($"this engine runs agents with the {config.Runtime} runtime, which has no opencode sessions to attach to");
        }

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(cancellationToken).ConfigureAwait(false);
        List<SessionRecord> matches = records.Where(r => r.SessionId == sessionId && IsThisProject(r)).ToList();
        if (matches.Count == 0)
        {
            throw new KeyNotFoundException($"no session '{sessionId}' in project '{config.Project}'; 'aetherflow sessions' lists them");
        }

        SessionRecord? own = backend is null ? null : matches.FirstOrDefault(r => r.ServerRef == backend.ServerRef);
        if (own is not null && backend is not null)
        {
            OpencodeConnection connection = backend.Client.Connection;
            return new SessionAttachInfo
            {
                SessionId = sessionId,
                ServerUrl = connection.BaseAddress.ToString(),
                Directory = own.Directory,
                Username = connection.Username,
                Password = connection.Password,
            };
        }

        SessionRecord newest = matches[0];
        if (LoopbackUrl.IsValid(newest.ServerRef))
        {
            // A server this engine does not manage: the registry knows its address, but not its password (if any).
            return new SessionAttachInfo { SessionId = sessionId, ServerUrl = newest.ServerRef, Directory = newest.Directory };
        }

        throw new NotSupportedException(
            $"session '{sessionId}' belongs to server {newest.ServerRef}, which this engine does not run (an earlier engine's server is gone with it)");
    }

    private bool IsThisProject(SessionRecord record) =>
        record.Project is { } project
            ? project == config.Project
            : record.Directory is { } directory && IsUnder(directory, config.ProjectDirectory);

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static SessionInfo ToInfo(SessionRecord record) => new()
    {
        SessionId = record.SessionId,
        ServerRef = record.ServerRef,
        Status = record.Status.ToString().ToLowerInvariant(),
        Origin = record.OriginType?.ToString().ToLowerInvariant(),
        WorkRef = record.WorkRef,
        Agent = record.AgentId,
        Directory = record.Directory,
        Project = record.Project,
        CreatedAt = record.CreatedAt,
        UpdatedAt = record.UpdatedAt,
        LastSeenAt = record.LastSeenAt,
    };
}
