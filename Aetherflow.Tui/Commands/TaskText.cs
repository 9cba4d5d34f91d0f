using System.Globalization;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Text;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// The text output of <c>aetherflow task</c>, modelled on prog's: fixed-width tables and a sectioned <c>show</c>.
/// Everything from the store is sanitised here, so a hostile title cannot drive the terminal.
/// </summary>
internal static class TaskText
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm";

    /// <summary><c>ID STATUS PRI TITLE</c>, or <c>No tasks</c>.</summary>
    public static void WriteList(TextWriter output, IReadOnlyList<TrackerTaskDetail> tasks)
    {
        if (tasks.Count == 0)
        {
            output.WriteLine("No tasks");
            return;
        }

        output.WriteLine($"{"ID",-12} {"STATUS",-12} {"PRI",-4} TITLE");
        foreach (TrackerTaskDetail task in tasks)
        {
            output.WriteLine($"{Line(task.Id),-12} {TaskStatusNames.ToName(task.State),-12} {task.Priority,-4} {Title(task)}");
        }
    }

    /// <summary><c>ID PRI TITLE</c>, or <c>No ready tasks</c>.</summary>
    public static void WriteReady(TextWriter output, IReadOnlyList<TrackerTaskDetail> tasks)
    {
        if (tasks.Count == 0)
        {
            output.WriteLine("No ready tasks");
            return;
        }

        output.WriteLine($"{"ID",-12} {"PRI",-4} TITLE");
        foreach (TrackerTaskDetail task in tasks)
        {
            output.WriteLine($"{Line(task.Id),-12} {task.Priority,-4} {Title(task)}");
        }
    }

    /// <summary>Header lines, then Description, Definition of Done, Dependencies and Logs sections when not empty.</summary>
    public static void WriteShow(TextWriter output, TrackerTaskDetail task, IReadOnlyList<TrackerTaskDetail> dependencies)
    {
        output.WriteLine($"ID:          {Line(task.Id)}");
        output.WriteLine($"Title:       {Line(task.Title)}");
        output.WriteLine($"Status:      {TaskStatusNames.ToName(task.State)}");
        output.WriteLine($"Priority:    {task.Priority}");
        if (task.Project.Length > 0)
        {
            output.WriteLine($"Project:     {Line(task.Project)}");
        }

        if (task.Labels.Count > 0)
        {
            output.WriteLine($"Labels:      {string.Join(", ", task.Labels.Select(Line))}");
        }

        Section(output, "Description:", task.Description);
        Section(output, "Definition of Done:", task.DefinitionOfDone);
        if (dependencies.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Dependencies:");
            foreach (TrackerTaskDetail dependency in dependencies)
            {
                output.WriteLine($"  - {Line(dependency.Id),-12} {TaskStatusNames.ToName(dependency.State),-12} {Line(dependency.Title)}");
            }
        }

        if (task.Logs.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Logs:");
            foreach (TaskLogEntry log in task.Logs)
            {
                output.WriteLine($"  [{Time(log.CreatedAt)}] {Line(log.Message)}");
            }
        }
    }

    /// <summary>One block per learning, newest first, separated by blank lines; or <c>No learnings found</c>.</summary>
    public static void WriteLearnings(TextWriter output, IReadOnlyList<Learning> learnings)
    {
        if (learnings.Count == 0)
        {
            output.WriteLine("No learnings found");
            return;
        }

        for (int i = 0; i < learnings.Count; i++)
        {
            Learning learning = learnings[i];
            if (i > 0)
            {
                output.WriteLine();
            }

            output.WriteLine($"## {Line(learning.Id)} ({Time(learning.CreatedAt)} UTC)");
            output.WriteLine(Line(learning.Summary));
            if (!string.IsNullOrEmpty(learning.Detail))
            {
                output.WriteLine();
                output.WriteLine(TerminalText.Sanitize(learning.Detail).TrimEnd('\n'));
            }

            output.WriteLine();
            output.WriteLine($"Concepts: {string.Join(", ", learning.Concepts.Select(Line))}");
            if (learning.TaskId is not null)
            {
                output.WriteLine($"Task: {Line(learning.TaskId)}");
            }
        }
    }

    /// <summary>Untrusted text for one line of output.</summary>
    public static string Line(string? text) => TerminalText.SanitizeLine(text);

    private static string Title(TrackerTaskDetail task) =>
        string.Concat(task.Labels.Select(l => $"[{Line(l)}] ")) + Line(task.Title);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static void Section(TextWriter output, string heading, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        output.WriteLine();
        output.WriteLine(heading);
        output.WriteLine(TerminalText.Sanitize(text).TrimEnd('\n'));
    }
}
