using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>Creating tasks, their dependencies, listing them and changing their status.</summary>
public sealed partial class BuiltinTaskStore
{
    /// <summary>
    /// Creates a task (open, or draft) with its labels and dependencies in one transaction: a bad dependency leaves
    /// nothing behind. Returns the new id.
    /// </summary>
    /// <exception cref="InvalidTaskInputException">An empty title, a malformed id or label.</exception>
    /// <exception cref="TaskNotFoundException">A dependency does not exist.</exception>
    public Task<string> AddAsync(NewTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (string.IsNullOrWhiteSpace(task.Title))
        {
            throw new InvalidTaskInputException("a task needs a title");
        }

        foreach (string dependency in task.Dependencies)
        {
            RequireTaskId(dependency);
        }

        string[] labels = [.. task.Labels.Select(NormalizeLabel).Distinct(StringComparer.Ordinal)];
        string[] dependencies = [.. task.Dependencies.Distinct(StringComparer.Ordinal)];
        return WriteAsync(
            session =>
            {
                foreach (string dependency in dependencies)
                {
                    _ = StatusOf(session, dependency) ?? throw new TaskNotFoundException(dependency);
                }

                string id = NewId(session, "ts-", "tasks");
                string now = Now();
                session.Execute(
                    """
                    INSERT INTO tasks (id, title, description, definition_of_done, status, priority, created_at, updated_at)
                    VALUES ($id, $title, $description, $dod, $status, $priority, $now, $now)
                    """,
                    ("$id", id),
                    ("$title", task.Title),
                    ("$description", task.Description ?? string.Empty),
                    ("$dod", string.IsNullOrEmpty(task.DefinitionOfDone) ? null : task.DefinitionOfDone),
                    ("$status", TaskStatusNames.ToName(task.Draft ? TrackerTaskState.Draft : TrackerTaskState.Open)),
                    ("$priority", task.Priority),
                    ("$now", now));
                foreach (string dependency in dependencies)
                {
                    session.Execute("INSERT INTO task_dependencies (task_id, depends_on) VALUES ($id, $on)", ("$id", id), ("$on", dependency));
                }

                foreach (string label in labels)
                {
                    session.Execute("INSERT INTO task_labels (task_id, label) VALUES ($id, $label)", ("$id", id), ("$label", label));
                }

                return id;
            },
            cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="taskId"/> wait for <paramref name="dependsOn"/>. Adding an existing dependency does nothing;
    /// one that would close a cycle is refused with <see cref="TaskDependencyCycleException"/>.
    /// </summary>
    public Task AddDependencyAsync(string taskId, string dependsOn, CancellationToken cancellationToken)
    {
        RequireTaskId(taskId);
        RequireTaskId(dependsOn);
        if (string.Equals(taskId, dependsOn, StringComparison.Ordinal))
        {
            throw new InvalidTaskInputException($"{taskId} cannot wait for itself");
        }

        return WriteAsync(
            session =>
            {
                _ = StatusOf(session, taskId) ?? throw new TaskNotFoundException(taskId);
                _ = StatusOf(session, dependsOn) ?? throw new TaskNotFoundException(dependsOn);
                List<(string From, string To)> edges = session.Query(
                    "SELECT task_id, depends_on FROM task_dependencies",
                    row => (row.GetString(0), row.GetString(1)));
                if (DependencyGraph.FindPath(edges, from: dependsOn, to: taskId) is { } path)
                {
                    throw new TaskDependencyCycleException(taskId, dependsOn, path);
                }

                session.Execute(
                    "INSERT OR IGNORE INTO task_dependencies (task_id, depends_on) VALUES ($id, $on)",
                    ("$id", taskId),
                    ("$on", dependsOn));
                session.Execute("UPDATE tasks SET updated_at = $now WHERE id = $id", ("$id", taskId), ("$now", Now()));
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Every task (or those in <paramref name="state"/>) with labels and dependencies, in scheduling order. Logs are
    /// left empty; <see cref="GetAsync"/> reads them.
    /// </summary>
    public Task<IReadOnlyList<TrackerTaskDetail>> ListDetailsAsync(TrackerTaskState? state, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<TrackerTaskDetail>>(
            session =>
            {
                string filter = state is null ? string.Empty : "WHERE status = $status";
                (string, object?)[] parameters = state is { } s ? [("$status", TaskStatusNames.ToName(s))] : [];
                List<TrackerTaskDetail> tasks = session.Query(
                    $"{DetailColumns} {filter} ORDER BY priority, created_at, rowid",
                    ReadDetailRow,
                    parameters);
                ILookup<string, string> labels = session.Query(
                    $"SELECT task_id, label FROM task_labels WHERE task_id IN (SELECT id FROM tasks {filter}) ORDER BY label",
                    row => (Task: row.GetString(0), Value: row.GetString(1)),
                    parameters).ToLookup(r => r.Task, r => r.Value, StringComparer.Ordinal);
                ILookup<string, string> dependencies = session.Query(
                    $"SELECT task_id, depends_on FROM task_dependencies WHERE task_id IN (SELECT id FROM tasks {filter}) ORDER BY rowid",
                    row => (Task: row.GetString(0), Value: row.GetString(1)),
                    parameters).ToLookup(r => r.Task, r => r.Value, StringComparer.Ordinal);
                return tasks.Select(t => t with { Labels = [.. labels[t.Id]], Dependencies = [.. dependencies[t.Id]] }).ToList();
            },
            cancellationToken);

    /// <summary>
    /// Claims a task: open → in_progress as one compare-and-set, so of two concurrent claimers exactly one wins and
    /// the other gets <see cref="InvalidTaskTransitionException"/>. Unless <paramref name="force"/> is set the task
    /// must also be ready (<see cref="TaskNotReadyException"/> otherwise).
    /// </summary>
    public Task StartAsync(string taskId, bool force, CancellationToken cancellationToken)
    {
        RequireTaskId(taskId);
        return WriteAsync(
            session =>
            {
                TrackerTaskState current = StatusOf(session, taskId) ?? throw new TaskNotFoundException(taskId);
                if (!TaskTransitions.IsAllowed(TaskAction.Start, current))
                {
                    throw new InvalidTaskTransitionException(taskId, TaskAction.Start, current);
                }

                if (!force)
                {
                    List<TrackerTask> waitingFor = session.Query(
                        """
                        SELECT b.id, b.title, b.priority, b.status FROM task_dependencies d JOIN tasks b ON b.id = d.depends_on
                        WHERE d.task_id = $id AND b.status NOT IN ('done', 'canceled') ORDER BY d.rowid
                        """,
                        ReadTrackerTask,
                        ("$id", taskId));
                    if (waitingFor.Count > 0)
                    {
                        throw new TaskNotReadyException(taskId, waitingFor);
                    }
                }

                int changed = session.Execute(
                    "UPDATE tasks SET status = 'in_progress', updated_at = $now WHERE id = $id AND status = 'open'",
                    ("$id", taskId),
                    ("$now", Now()));
                return changed == 1 ? true : throw new TaskSourceException($"the claim of {taskId} changed nothing; try again");
            },
            cancellationToken);
    }

    /// <summary>in_progress → reviewing.</summary>
    public Task ReviewAsync(string taskId, CancellationToken cancellationToken) =>
        TransitionAsync(taskId, TaskAction.Review, reason: null, alreadyThereIsFine: false, cancellationToken);

    /// <summary>Any non-terminal status → done.</summary>
    public Task DoneAsync(string taskId, CancellationToken cancellationToken) =>
        TransitionAsync(taskId, TaskAction.Done, reason: null, alreadyThereIsFine: false, cancellationToken);

    /// <summary>Any non-terminal status → canceled; a reason is logged as <c>Canceled: &lt;reason&gt;</c>.</summary>
    public Task CancelAsync(string taskId, string? reason, CancellationToken cancellationToken) =>
        TransitionAsync(taskId, TaskAction.Cancel, reason, alreadyThereIsFine: false, cancellationToken);

    /// <summary>Any status → open (also reopens done and canceled tasks).</summary>
    public Task OpenAsync(string taskId, CancellationToken cancellationToken) =>
        TransitionAsync(taskId, TaskAction.Open, reason: null, alreadyThereIsFine: true, cancellationToken);

    /// <summary>Any status → draft.</summary>
    public Task DraftAsync(string taskId, CancellationToken cancellationToken) =>
        TransitionAsync(taskId, TaskAction.Draft, reason: null, alreadyThereIsFine: true, cancellationToken);

    private Task TransitionAsync(string taskId, TaskAction action, string? reason, bool alreadyThereIsFine, CancellationToken cancellationToken)
    {
        RequireTaskId(taskId);
        TrackerTaskState target = TaskTransitions.Target(action);
        return WriteAsync(
            session =>
            {
                TrackerTaskState current = StatusOf(session, taskId) ?? throw new TaskNotFoundException(taskId);
                if (current == target && alreadyThereIsFine)
                {
                    return false;
                }

                if (!TaskTransitions.IsAllowed(action, current))
                {
                    throw new InvalidTaskTransitionException(taskId, action, current);
                }

                session.Execute(
                    "UPDATE tasks SET status = $status, updated_at = $now WHERE id = $id",
                    ("$id", taskId),
                    ("$status", TaskStatusNames.ToName(target)),
                    ("$now", Now()));
                if (!string.IsNullOrWhiteSpace(reason))
                {
                    AddLog(session, taskId, "Canceled: " + reason);
                }

                return true;
            },
            cancellationToken);
    }

    private const string DetailColumns = "SELECT id, title, description, definition_of_done, status, priority FROM tasks";

    private TrackerTaskDetail ReadDetailRow(Microsoft.Data.Sqlite.SqliteDataReader row) => new()
    {
        Id = row.GetString(0),
        Title = row.GetString(1),
        Description = row.GetString(2),
        DefinitionOfDone = row.IsDBNull(3) ? null : row.GetString(3),
        State = ParseStatus(row.GetString(4)),
        Priority = row.GetInt32(5),
        Project = options.ProjectName,
    };

    private TrackerTaskDetail? ReadDetail(StoreSession session, string taskId)
    {
        TrackerTaskDetail? task = session.Query($"{DetailColumns} WHERE id = $id", ReadDetailRow, ("$id", taskId)).SingleOrDefault();
        if (task is null)
        {
            return null;
        }

        return task with
        {
            Labels = session.Query("SELECT label FROM task_labels WHERE task_id = $id ORDER BY label", row => row.GetString(0), ("$id", taskId)),
            Dependencies = session.Query("SELECT depends_on FROM task_dependencies WHERE task_id = $id ORDER BY rowid", row => row.GetString(0), ("$id", taskId)),
            Logs = session.Query(
                "SELECT message, created_at FROM task_logs WHERE task_id = $id ORDER BY id",
                row => new TaskLogEntry(row.GetString(0), StoreSession.ParseTime(row.GetString(1))),
                ("$id", taskId)),
        };
    }

    private static string NormalizeLabel(string label)
    {
        string trimmed = label?.Trim() ?? string.Empty;
        return Identifiers.IsProjectName(trimmed)
            ? trimmed
            : throw new InvalidTaskInputException($"label '{TerminalText.SanitizeLine(label)}' is not valid; use letters, digits, '.', '_' and '-' (e.g. backend)");
    }
}
