namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>The store's tables, created on first use and versioned with <c>PRAGMA user_version</c>.</summary>
internal static class TaskStoreSchema
{
    public const int Version = 1;

    // Logs are append-only: the triggers refuse UPDATE and DELETE so no code path (or stray sqlite3 session) can
    // rewrite history. Statuses are checked by the table, so a bad write fails instead of hiding a task.
    private const string CreateV1 = """
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            definition_of_done TEXT,
            status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'in_progress', 'reviewing', 'done', 'canceled')),
            priority INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX tasks_by_status ON tasks (status, priority, created_at);
        CREATE TABLE task_dependencies (
            task_id TEXT NOT NULL REFERENCES tasks (id),
            depends_on TEXT NOT NULL REFERENCES tasks (id),
            PRIMARY KEY (task_id, depends_on),
            CHECK (task_id <> depends_on)
        );
        CREATE INDEX task_dependencies_by_target ON task_dependencies (depends_on);
        CREATE TABLE task_labels (
            task_id TEXT NOT NULL REFERENCES tasks (id),
            label TEXT NOT NULL,
            PRIMARY KEY (task_id, label)
        );
        CREATE TABLE task_logs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id TEXT NOT NULL REFERENCES tasks (id),
            message TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX task_logs_by_task ON task_logs (task_id, id);
        CREATE TRIGGER task_logs_no_update BEFORE UPDATE ON task_logs BEGIN SELECT RAISE(ABORT, 'task logs are append-only'); END;
        CREATE TRIGGER task_logs_no_delete BEFORE DELETE ON task_logs BEGIN SELECT RAISE(ABORT, 'task logs are append-only'); END;
        CREATE TABLE learnings (
            id TEXT PRIMARY KEY NOT NULL,
            summary TEXT NOT NULL,
            detail TEXT,
            task_id TEXT REFERENCES tasks (id),
            created_at TEXT NOT NULL
        );
        CREATE TABLE learning_concepts (
            learning_id TEXT NOT NULL REFERENCES learnings (id),
            concept TEXT NOT NULL,
            PRIMARY KEY (learning_id, concept)
        );
        CREATE INDEX learning_concepts_by_concept ON learning_concepts (concept);
        PRAGMA user_version = 1;
        """;

    /// <summary>The schema version the file has (0 for a new, empty file).</summary>
    public static int ReadVersion(StoreSession session) => Convert.ToInt32(session.Scalar("PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates the tables in a new file; call inside a write transaction after re-reading the version.</summary>
    public static void Create(StoreSession session) => session.Execute(CreateV1);
}
