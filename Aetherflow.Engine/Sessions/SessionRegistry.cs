using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Sessions;

/// <summary>
/// The session registry: <c>sessions.json</c>, the record of which opencode session belongs to which agent and task,
/// shared by every engine and command of one user. Every operation, reads included, is one transaction under an
/// exclusive <c>flock</c> on <c>sessions.json.lock</c>, and every write is an atomic, fsynced replace, so concurrent
/// processes never lose each other's records and a crash never leaves a half-written file. A file that is not a
/// registry is moved aside and rebuilt from the live servers; no operation fails because of it.
/// </summary>
public sealed class SessionRegistry
{
    /// <summary>The registry file's name.</summary>
    public const string FileName = "sessions.json";

    /// <summary>The lock file's name (the same one the original Go tool locks).</summary>
    public const string LockFileName = "sessions.json.lock";

    private readonly SessionRegistryOptions options;
    private readonly SessionFileStore store;

    /// <summary>Creates a registry on <see cref="SessionRegistryOptions.Directory"/>; nothing is touched until the first operation.</summary>
    /// <param name="options">Folder and limits.</param>
    /// <param name="inventory">The live sessions, for rebuilding a corrupt file; without it a corrupt file starts empty.</param>
    /// <param name="timeProvider">The clock for record times and lock waits.</param>
    /// <param name="logger">Receives the warnings (corrupt file, unusable records).</param>
    public SessionRegistry(
        SessionRegistryOptions options, ISessionInventory? inventory = null, TimeProvider? timeProvider = null, ILogger<SessionRegistry>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Path.IsPathRooted(options.Directory))
        {
            throw new ArgumentException($"the session registry folder must be an absolute path, not '{options.Directory}'", nameof(options));
        }

        this.options = options;
        store = new SessionFileStore(options, inventory, timeProvider ?? TimeProvider.System, logger ?? NullLogger<SessionRegistry>.Instance);
    }

    /// <summary>The registry folder.</summary>
    public string Directory => options.Directory;

    /// <summary>The full path of <c>sessions.json</c>.</summary>
    public string FilePath => store.FilePath;

    /// <summary>The full path of <c>sessions.json.lock</c>.</summary>
    public string LockPath => store.LockPath;

    /// <summary>Every usable record, most recently updated first.</summary>
    public Task<IReadOnlyList<SessionRecord>> ListAsync(CancellationToken cancellationToken) =>
        store.ExecuteAsync<IReadOnlyList<SessionRecord>>((document, _) => (Newest(document.Readable).ToList(), false), cancellationToken);

    /// <summary>
    /// Creates or updates the record of one session. Fields left null keep their stored value (a new record starts
    /// <see cref="SessionStatus.Active"/>); <c>created_at</c> never changes, <c>updated_at</c> becomes now, and
    /// <c>last_seen_at</c> too unless the record ends up terminated or stale. Properties this version does not know
    /// are kept. Throws <see cref="ArgumentException"/> when a value breaks the field rules.
    /// </summary>
    /// <returns>The record as stored.</returns>
    public Task<SessionRecord> UpsertAsync(SessionUpsert update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        string? problem = SessionFields.CheckServerRef(update.ServerRef)
            ?? SessionFields.CheckSessionId(update.SessionId)
            ?? SessionFields.CheckDirectory(update.Directory)
            ?? SessionFields.CheckProject(update.Project)
            ?? SessionFields.CheckWorkRef(update.WorkRef)
            ?? SessionFields.CheckAgentId(update.AgentId);
        if (problem is not null)
        {
            throw new ArgumentException($"cannot register session: {problem}", nameof(update));
        }

        return store.ExecuteAsync(
            (document, now) =>
            {
                int index = document.IndexOf(update.ServerRef, update.SessionId);
                StoredSessionRecord? stored = index < 0 ? null : document.Records[index];
                SessionRecord current = stored?.Record ?? new SessionRecord
                {
                    ServerRef = update.ServerRef,
                    SessionId = update.SessionId,
                    CreatedAt = now,
                };
                SessionStatus status = update.Status ?? current.Status;
                SessionRecord next = current with
                {
                    Directory = update.Directory ?? current.Directory,
                    Project = update.Project ?? current.Project,
                    OriginType = update.OriginType ?? current.OriginType,
                    WorkRef = update.WorkRef ?? current.WorkRef,
                    AgentId = update.AgentId ?? current.AgentId,
                    Status = status,
                    LastSeenAt = IsLive(status) ? now : current.LastSeenAt,
                    UpdatedAt = now,
                };
                if (stored is null)
                {
                    document.Records.Add(StoredSessionRecord.New(next));
                }
                else
                {
                    document.Records[index] = stored.With(next);
                }

                return (next, true);
            },
            cancellationToken);
    }

    /// <summary>Sets the status of one session's record. Returns false when there is no such record.</summary>
    public Task<bool> SetStatusBySessionAsync(string serverRef, string sessionId, SessionStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverRef);
        ArgumentNullException.ThrowIfNull(sessionId);
        return store.ExecuteAsync(
            (document, now) =>
            {
                int index = document.IndexOf(serverRef, sessionId);
                if (index < 0 || document.Records[index].Record is not { } record)
                {
                    return (false, false);
                }

                document.Records[index] = document.Records[index].With(WithStatus(record, status, now));
                return (true, true);
            },
            cancellationToken);
    }

    /// <summary>
    /// Sets the status of every still active or idle record of <paramref name="origin"/> working on
    /// <paramref name="workRef"/> — for when the session id is unknown. Terminated and stale records are history and
    /// keep their status (otherwise a clean exit would make every old session of the task resumable again).
    /// Returns how many records changed.
    /// </summary>
    public Task<int> SetStatusByWorkRefAsync(SessionOrigin origin, string workRef, SessionStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workRef);
        return store.ExecuteAsync(
            (document, now) =>
            {
                int changed = 0;
                for (int i = 0; i < document.Records.Count; i++)
                {
                    if (document.Records[i].Record is { } record && record.OriginType == origin && record.WorkRef == workRef && IsLive(record.Status))
                    {
                        document.Records[i] = document.Records[i].With(WithStatus(record, status, now));
                        changed++;
                    }
                }

                return (changed, changed > 0);
            },
            cancellationToken);
    }

    /// <summary>
    /// The session a respawned or reclaimed agent for <paramref name="workRef"/> should continue: the most recently
    /// updated active or idle record of that work, or null when there is none.
    /// </summary>
    public Task<SessionRecord?> FindResumableAsync(string workRef, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workRef);
        return store.ExecuteAsync(
            (document, _) => (Newest(document.Readable.Where(r => r.WorkRef == workRef && IsLive(r.Status))).FirstOrDefault(), false),
            cancellationToken);
    }

    /// <summary>
    /// Asks <paramref name="probe"/> which sessions exist and marks <see cref="SessionStatus.Stale"/> every active or
    /// idle record whose server answered without it. Records of servers that did not answer are left alone (a server
    /// that is down has not lost its sessions), and so are records written after the probe was asked. Records that are
    /// still live get <c>last_seen_at</c> = now. The probe is asked before the lock is taken. Returns how many records
    /// became stale.
    /// </summary>
    public async Task<int> MarkStaleAsync(ISessionInventory probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        DateTimeOffset asked = store.Now;
        LiveSessionList live = await probe.ListLiveSessionsAsync(cancellationToken).ConfigureAwait(false);
        var servers = live.ServerRefs.ToHashSet(StringComparer.Ordinal);
        var alive = live.Sessions.Select(s => (s.ServerRef, s.SessionId)).ToHashSet();
        return await store.ExecuteAsync(
            (document, now) =>
            {
                int staled = 0;
                bool changed = false;
                for (int i = 0; i < document.Records.Count; i++)
                {
                    if (document.Records[i].Record is not { } record || !IsLive(record.Status) || !servers.Contains(record.ServerRef))
                    {
                        continue;
                    }

                    if (alive.Contains((record.ServerRef, record.SessionId)))
                    {
                        document.Records[i] = document.Records[i].With(record with { LastSeenAt = now });
                        changed = true;
                    }
                    else if (record.UpdatedAt < asked)
                    {
                        document.Records[i] = document.Records[i].With(WithStatus(record, SessionStatus.Stale, now));
                        changed = true;
                        staled++;
                    }
                }

                return (staled, changed);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes terminated and stale records not updated within <paramref name="ttl"/>, then the oldest terminated and
    /// stale records beyond <see cref="SessionRegistryOptions.MaxInactiveRecords"/>. Active and idle records are never
    /// removed, however old. Returns how many records were removed.
    /// </summary>
    public Task<int> SweepAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return store.ExecuteAsync(
            (document, now) =>
            {
                DateTimeOffset cutoff = now - DateTimeOffset.MinValue > ttl ? now - ttl : DateTimeOffset.MinValue;
                var inactive = document.Records.Where(r => r.Record is { } record && !IsLive(record.Status)).ToList();
                var expired = inactive.Where(r => r.Record!.UpdatedAt < cutoff).ToHashSet();
                var kept = inactive.Where(r => !expired.Contains(r)).ToList();
                expired.UnionWith(Newest(kept, r => r.Record!).Skip(Math.Max(0, options.MaxInactiveRecords)));
                int removed = document.Records.RemoveAll(expired.Contains);
                return (removed, removed > 0);
            },
            cancellationToken);
    }

    private static bool IsLive(SessionStatus status) => status is SessionStatus.Active or SessionStatus.Idle;

    private static SessionRecord WithStatus(SessionRecord record, SessionStatus status, DateTimeOffset now) => record with
    {
        Status = status,
        LastSeenAt = IsLive(status) ? now : record.LastSeenAt,
        UpdatedAt = now,
    };

    private static IEnumerable<SessionRecord> Newest(IEnumerable<SessionRecord> records) => Newest(records, r => r);

    private static IEnumerable<T> Newest<T>(IEnumerable<T> items, Func<T, SessionRecord> record) => items
        .OrderByDescending(i => record(i).UpdatedAt)
        .ThenByDescending(i => record(i).CreatedAt)
        .ThenBy(i => record(i).ServerRef, StringComparer.Ordinal)
        .ThenBy(i => record(i).SessionId, StringComparer.Ordinal);
}
