namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>
/// The default tracker, which needs nothing installed: one SQLite file, <c>&lt;project&gt;/.aetherflow/tasks.db</c>,
/// shared by the engine and every <c>aetherflow task</c> process (people and agents). It keeps prog's model —
/// statuses, priorities, dependencies, append-only logs, learnings — and fixes prog's weak spots: a claim is an atomic
/// compare-and-set, <c>add</c> is all or nothing, and a dependency that would close a cycle is refused.
/// </summary>
/// <remarks>
/// Every call opens its own connection and runs in one transaction; writes take SQLite's write lock up front
/// (<c>BEGIN IMMEDIATE</c>), so a read-check-write such as a claim cannot interleave with another process's write.
/// The file uses the rollback journal, not WAL, so every commit changes the store file itself, which makes it a
/// reliable <see cref="ChangeSignalPath"/>.
/// </remarks>
public sealed partial class BuiltinTaskStore : ITaskSource
{
    /// <summary>The priority a task gets when none is given (prog's "medium").</summary>
    public const int DefaultPriority = 2;

    private readonly BuiltinTaskStoreOptions options;

    public BuiltinTaskStore(BuiltinTaskStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ProjectDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.FromMilliseconds(1));
        this.options = options;
        DatabasePath = TaskStoreLocation.DatabasePath(options.ProjectDirectory);
        connectionString = CreateConnectionString(DatabasePath, options.BusyTimeout);
    }

    /// <inheritdoc/>
    public string Name => "builtin";

    /// <summary>The store file, <c>&lt;project&gt;/.aetherflow/tasks.db</c>.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public string? ChangeSignalPath => DatabasePath;

    /// <inheritdoc/>
    public Task<IReadOnlyList<TrackerTask>> ListReadyAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<TrackerTask>>(
            session => session.Query(
                $"""
                SELECT id, title, priority, status FROM tasks t
                WHERE status = 'open' AND NOT EXISTS ({UnresolvedDependenciesOf("t.id")})
                ORDER BY priority, created_at, rowid
                """,
                ReadTrackerTask),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<TrackerTask>> ListAsync(TrackerTaskState state, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<TrackerTask>>(
            session => session.Query(
                "SELECT id, title, priority, status FROM tasks WHERE status = $status ORDER BY priority, created_at, rowid",
                ReadTrackerTask,
                ("$status", TaskStatusNames.ToName(state))),
            cancellationToken);

    /// <inheritdoc/>
    public Task<TrackerTaskDetail> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        RequireTaskId(taskId);
        return ReadAsync(session => ReadDetail(session, taskId) ?? throw new TaskNotFoundException(taskId), cancellationToken);
    }

    /// <summary>Claims a ready task for the engine: <see cref="StartAsync"/> without force.</summary>
    public Task ClaimAsync(string taskId, CancellationToken cancellationToken) => StartAsync(taskId, force: false, cancellationToken);

    /// <summary>Puts a task back to open, from any status: <see cref="OpenAsync"/>.</summary>
    public Task ReopenAsync(string taskId, CancellationToken cancellationToken) => OpenAsync(taskId, cancellationToken);

    /// <summary>
    /// Marks a task done for the reconciler. Unlike <see cref="DoneAsync"/> a task that is already done is fine (an
    /// agent or a person may have closed it first); a canceled one is still refused.
    /// </summary>
    public Task MarkDoneAsync(string taskId, CancellationToken cancellationToken) =>
        TransitionAsync(taskId, TaskAction.Done, reason: null, alreadyThereIsFine: true, cancellationToken);

    /// <inheritdoc/>
    public Task AppendLogAsync(string taskId, string message, CancellationToken cancellationToken)
    {
        RequireTaskId(taskId);
        ArgumentNullException.ThrowIfNull(message);
        return WriteAsync(
            session =>
            {
                _ = StatusOf(session, taskId) ?? throw new TaskNotFoundException(taskId);
                AddLog(session, taskId, message);
                return true;
            },
            cancellationToken);
    }
}
