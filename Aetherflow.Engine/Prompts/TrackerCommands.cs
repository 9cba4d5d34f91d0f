namespace Aetherflow.Engine.Prompts;

/// <summary>
/// The tracker commands an agent is told to run, as prompt variables, for one task. Only commands that exist in the
/// tracker appear: prog has no <c>block</c>, <c>deps</c> or <c>dod</c> command, and the built-in store's CLI has
/// exactly the verbs used here.
/// </summary>
internal static class TrackerCommands
{
    /// <summary>The names of the variables <see cref="For"/> fills in.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "tracker", "cmd_show", "cmd_log", "cmd_review", "cmd_done", "cmd_open", "cmd_draft", "cmd_add",
        "cmd_context", "cmd_context_concept", "cmd_learn", "add_notes",
    ];

    /// <summary>The command variables for <paramref name="taskId"/> (validated) in <paramref name="project"/> (validated).</summary>
    public static IReadOnlyDictionary<string, string> For(TrackerKind tracker, string project, string taskId) =>
        tracker == TrackerKind.Prog ? Prog(project, taskId) : Builtin(taskId);

    private static Dictionary<string, string> Prog(string project, string taskId) => new(StringComparer.Ordinal)
    {
        ["tracker"] = $"prog, project `{project}`",
        ["cmd_show"] = $"prog show {taskId}",
        ["cmd_log"] = $"prog log {taskId}",
        ["cmd_review"] = $"prog review {taskId}",
        ["cmd_done"] = $"prog done {taskId}",
        ["cmd_open"] = $"prog open {taskId}",
        ["cmd_draft"] = $"prog draft {taskId}",
        ["cmd_add"] = $"prog add \"<title>\" -p {project} --priority <1-3> --dod \"<observable outcome and how to check it>\" -d \"<what, where and why>\"",
        ["cmd_context"] = $"prog context -p {project} --summary",
        ["cmd_context_concept"] = $"prog context -p {project} -c <concept>",
        ["cmd_learn"] = $"prog learn \"<one-line insight>\" -c <concept> -p {project} --detail \"<explanation>\"",
        ["add_notes"] =
            "About `prog add`: it prints the new task's id. Priority 1 is the most urgent. The `-d` text is the task's "
            + "description: what is wrong or wanted, where, and why; it is written once, when the task is created. To put "
            + "the task under an epic, add `--parent <epic-id>`. To make one task wait for another, run "
            + "`prog blocks <first-id> <second-id>` once both exist: the first one blocks the second, so the second is not "
            + "started before the first is done. Don't give a new task the `plan` label unless it is itself a planning "
            + "job: that label hands a task to a planner instead of a worker.",
    };

    private static Dictionary<string, string> Builtin(string taskId) => new(StringComparer.Ordinal)
    {
        ["tracker"] = "the built-in task store, used through `aetherflow task`",
        ["cmd_show"] = $"aetherflow task show {taskId}",
        ["cmd_log"] = $"aetherflow task log {taskId}",
        ["cmd_review"] = $"aetherflow task review {taskId}",
        ["cmd_done"] = $"aetherflow task done {taskId}",
        ["cmd_open"] = $"aetherflow task open {taskId}",
        ["cmd_draft"] = $"aetherflow task draft {taskId}",
        ["cmd_add"] = "aetherflow task add \"<title>\" --priority <1-3> --dod \"<observable outcome and how to check it>\"",
        ["cmd_context"] = "aetherflow task context",
        ["cmd_context_concept"] = "aetherflow task context <concept>",
        ["cmd_learn"] = "aetherflow task learn \"<one-line insight>\" --concept <concept>",
        ["add_notes"] =
            "About `aetherflow task add`: it prints the new task's id. Priority 1 is the most urgent. The built-in store "
            + "keeps no separate description, so right after adding a task, give it its context (what is wrong or "
            + "wanted, where, and why) as its first log entry: `aetherflow task log <new-id> \"Context: …\"`. To make "
            + "the new task wait for another one, add `--after <first-id>` to the command that adds it.",
    };
}
