using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// The <c>--json</c> shapes of <c>aetherflow task</c> (snake_case through <c>EngineJson</c>): prog's field names, with
/// untrusted text kept literal (JSON escapes control characters) and times in UTC.
/// </summary>
internal static class TaskJson
{
    public static TaskEntry From(TrackerTaskDetail task) => new(
        task.Id,
        task.Title,
        TaskStatusNames.ToName(task.State),
        task.Priority,
        task.Project,
        task.Description,
        task.DefinitionOfDone,
        task.Labels,
        task.Dependencies,
        null);

    public static TaskEntry WithLogs(TrackerTaskDetail task) =>
        From(task) with { Logs = [.. task.Logs.Select(l => new LogEntry(l.Message, l.CreatedAt.UtcDateTime))] };

    public static LearningEntry From(Learning learning) =>
        new(learning.Id, learning.Summary, learning.Detail, learning.Concepts, learning.TaskId, learning.CreatedAt.UtcDateTime);

    /// <summary>A task; <c>logs</c> only in <c>show</c>, <c>definition_of_done</c> only when set.</summary>
    internal sealed record TaskEntry(
        string Id,
        string Title,
        string Status,
        int Priority,
        string Project,
        string Description,
        string? DefinitionOfDone,
        IReadOnlyList<string> Labels,
        IReadOnlyList<string> Dependencies,
        IReadOnlyList<LogEntry>? Logs);

    internal sealed record LogEntry(string Message, DateTime CreatedAt);

    internal sealed record LearningEntry(string Id, string Summary, string? Detail, IReadOnlyList<string> Concepts, string? TaskId, DateTime CreatedAt);
}
