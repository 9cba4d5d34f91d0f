using System.Globalization;
using Aetherflow.Engine.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>Connections, transactions, the file's creation and error translation.</summary>
public sealed partial class BuiltinTaskStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;
    private const int MaxIdAttempts = 32;

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string connectionString;
    private readonly Lock randomLock = new();
    private volatile bool schemaReady;

    private static string CreateConnectionString(string path, TimeSpan busyTimeout) => new SqliteConnectionStringBuilder
    {
        DataSource = path,

        // The file is created by EnsureFile with owner-only permissions; SQLite never creates it.
        Mode = SqliteOpenMode.ReadWrite,

        // One connection per call: nothing stays open between calls, in the engine or in a CLI process.
        Pooling = false,
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
    }.ToString();

    // The SQL of "dependencies of <task> that are neither done nor canceled", for NOT EXISTS / EXISTS.
    private static string UnresolvedDependenciesOf(string taskColumn) => $"""
        SELECT 1 FROM task_dependencies d JOIN tasks b ON b.id = d.depends_on
        WHERE d.task_id = {taskColumn} AND b.status NOT IN ('done', 'canceled')
        """;

    private static TrackerTask ReadTrackerTask(SqliteDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetInt32(2), ParseStatus(row.GetString(3)));

    private static TrackerTaskState ParseStatus(string name) =>
        TaskStatusNames.TryParse(name, out TrackerTaskState state) ? state : throw new TaskSourceException($"the task store holds an unknown status '{TerminalText.SanitizeLine(name)}'");

    private static TrackerTaskState? StatusOf(StoreSession session, string taskId) =>
        session.Scalar("SELECT status FROM tasks WHERE id = $id", ("$id", taskId)) is string status ? ParseStatus(status) : null;

    private static void RequireTaskId(string? taskId)
    {
        if (!Identifiers.IsTaskId(taskId))
        {
            throw new InvalidTaskInputException($"'{TerminalText.SanitizeLine(taskId)}' is not a valid task id (like ts-1a2b3c)");
        }
    }

    private Task<T> ReadAsync<T>(Func<StoreSession, T> read, CancellationToken cancellationToken) =>
        RunAsync(
            connection =>
            {
                // A deferred transaction: a consistent snapshot across the statements of one read, no write lock.
                using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
                T result = read(new StoreSession(connection, transaction));
                transaction.Commit();
                return result;
            },
            cancellationToken);

    private Task<T> WriteAsync<T>(Func<StoreSession, T> write, CancellationToken cancellationToken) =>
        RunAsync(
            connection =>
            {
                // BEGIN IMMEDIATE: the write lock is taken before anything is read, so check-then-update is atomic
                // across processes and two writers never deadlock upgrading read locks.
                using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
                T result = write(new StoreSession(connection, transaction));
                transaction.Commit();
                return result;
            },
            cancellationToken);

    private async Task<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // SQLite calls block (also while waiting for another process's lock): keep them off the caller's thread.
            return await Task.Run(
                () =>
                {
                    using SqliteConnection connection = Open();
                    return work(connection);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TaskSourceException($"cannot use the task store {DatabasePath}: {ex.Message}", ex);
        }
    }

    private SqliteConnection Open()
    {
        EnsureFile();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var session = new StoreSession(connection, transaction: null);
            session.Execute(string.Create(
                CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;"));
            if (!schemaReady)
            {
                EnsureSchema(connection);
                schemaReady = true;
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void EnsureFile()
    {
        if (File.Exists(DatabasePath))
        {
            return;
        }

        string folder = Path.GetDirectoryName(DatabasePath)!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        // OpenOrCreate: two processes creating the store at once both succeed; the mode applies only on creation.
        // An empty file is a valid empty SQLite database, and SQLite gives its journal the same permissions.
        using var stream = new FileStream(DatabasePath, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = OwnerOnlyFile,
        });
        options.Logger.LogInformation("Created the task store {Path}", DatabasePath);
    }

    private void EnsureSchema(SqliteConnection connection)
    {
        int version = TaskStoreSchema.ReadVersion(new StoreSession(connection, transaction: null));
        if (version == TaskStoreSchema.Version)
        {
            return;
        }

        if (version > TaskStoreSchema.Version)
        {
            throw new TaskSourceException(
                $"the task store {DatabasePath} has schema version {version}, newer than this aetherflow understands ({TaskStoreSchema.Version}); upgrade aetherflow");
        }

        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        var session = new StoreSession(connection, transaction);

        // Another process may have created the tables while this one waited for the write lock.
        if (TaskStoreSchema.ReadVersion(session) == 0)
        {
            TaskStoreSchema.Create(session);
            options.Logger.LogInformation("Created the task tables in {Path}", DatabasePath);
        }

        transaction.Commit();
    }

    private TaskSourceException Translate(SqliteException ex) => ex.SqliteErrorCode switch
    {
        SqliteBusy or SqliteLocked => new TaskSourceException(
            $"the task store {DatabasePath} stayed locked by another process for over {options.BusyTimeout.TotalSeconds:0.#}s; try again", ex),
        SqliteCorrupt or SqliteNotADatabase => new TaskSourceException(
            $"the task store {DatabasePath} is damaged or not a task store ({ex.Message}); move it aside to start a new one", ex),
        SqliteCantOpen => new TaskSourceException(
            $"cannot open the task store {DatabasePath} ({ex.Message}); check that its folder exists and is yours", ex),
        SqliteReadOnly => new TaskSourceException(
            $"the task store {DatabasePath} is read-only ({ex.Message}); check its permissions", ex),
        _ => new TaskSourceException($"the task store {DatabasePath} failed: {ex.Message}", ex),
    };

    // A new id "<prefix>" + 6 lowercase hex digits that no row of <table> has yet; the caller holds the write lock,
    // so the check cannot race with another process's insert.
    private string NewId(StoreSession session, string prefix, string table)
    {
        Span<byte> bytes = stackalloc byte[3];
        for (int attempt = 1; attempt <= MaxIdAttempts; attempt++)
        {
            lock (randomLock)
            {
                options.Random.NextBytes(bytes);
            }

            string id = prefix + Convert.ToHexStringLower(bytes);
            if (session.Scalar($"SELECT 1 FROM {table} WHERE id = $id", ("$id", id)) is null)
            {
                return id;
            }

            options.Logger.LogDebug("Id {Id} is taken in {Table}; trying another (attempt {Attempt})", id, table, attempt);
        }

        throw new TaskSourceException($"could not find a free {prefix}id in {MaxIdAttempts} tries; the task store {DatabasePath} is nearly full");
    }

    private void AddLog(StoreSession session, string taskId, string message) =>
        session.Execute(
            "INSERT INTO task_logs (task_id, message, created_at) VALUES ($task, $message, $at)",
            ("$task", taskId),
            ("$message", message),
            ("$at", Now()));

    private string Now() => StoreSession.FormatTime(options.TimeProvider.GetUtcNow());
}
