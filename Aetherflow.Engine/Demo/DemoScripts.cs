using System.Text.Json.Nodes;
using Aetherflow.Engine.Prompts;
using Aetherflow.Engine.ScriptedModel;

namespace Aetherflow.Engine.Demo;

/// <summary>
/// What the demo model answers: for each demo task, the steps a diligent agent following the worker prompt's solo
/// landing steps would take, as real opencode tool calls — read the task, read the code, write and edit files, run the
/// tests, commit on <c>af/&lt;id&gt;</c>, merge <c>main</c> into the branch, land it on <c>main</c> from the project
/// root, log a handoff and mark the task done. Each task's scenario is assigned to its id, so titles carry no marker.
/// </summary>
public static class DemoScripts
{
    /// <summary>The prefix of the demo's scenario names (<c>demo.&lt;task key&gt;</c>).</summary>
    public const string ScenarioPrefix = "demo.";

    /// <summary>The lock file, in the repository's git folder, that turns concurrent landings into a queue.</summary>
    public const string LandLockFile = "aetherflow-demo-land.lock";

    /// <summary>The scenarios of <paramref name="project"/>'s tasks, by name (<c>demo.&lt;task key&gt;</c>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ScriptStep>> Scripts(DemoProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Tasks.ToDictionary(t => ScenarioPrefix + t.Plan.Key, t => StepsFor(t, project.Directory), StringComparer.Ordinal);
    }

    /// <summary>Which scenario the agent of each task plays, by task id (see <see cref="ScriptedModelOptions.WorkScenarios"/>).</summary>
    public static IReadOnlyDictionary<string, string> Assignments(DemoProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Tasks.ToDictionary(t => t.Id, t => ScenarioPrefix + t.Plan.Key, StringComparer.Ordinal);
    }

    /// <summary>The steps of the agent that works on <paramref name="task"/> in a project at <paramref name="projectDirectory"/>.</summary>
    public static IReadOnlyList<ScriptStep> StepsFor(DemoTask task, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        string id = task.Id;
        string branch = TaskPrompts.BranchPrefix + id;
        string project = ShellText.Quote(projectDirectory);
        string lockFile = ShellText.Quote(Path.Combine(projectDirectory, ".git", LandLockFile));
        DemoTaskPlan plan = task.Plan;

        var steps = new List<ScriptStep> { Bash($"aetherflow task show {id}", "Read the task") };
        if (plan.Reads.Count > 0)
        {
            steps.Add(ScriptStep.Tools(plan.Reads.Select(path => Tool("read", new JsonObject { ["filePath"] = path })).ToList()));
        }

        steps.AddRange(plan.Changes.Select(change => ScriptStep.Tool(change.IsNewFile
            ? Tool("write", new JsonObject { ["filePath"] = change.Path, ["content"] = change.NewText })
            : Tool("edit", new JsonObject { ["filePath"] = change.Path, ["oldString"] = change.OldText, ["newString"] = change.NewText }))));
        steps.Add(Bash("sh tests/run.sh", "Run the tests"));
        steps.Add(Bash($"git add --all && git commit --quiet -m {ShellText.Quote(plan.CommitMessage)}", $"Commit on {branch}"));
        steps.Add(Bash($"git merge --no-edit {DemoProject.BaseBranch}", $"Bring {DemoProject.BaseBranch} into {branch}"));

        // Agents that finish together would race for the main checkout's index lock; flock makes them take turns.
        steps.Add(Bash(
            $"flock {lockFile} git -C {project} merge --no-ff {branch} -m {ShellText.Quote($"Merge {branch} ({id})")}",
            $"Land {branch} on {DemoProject.BaseBranch}"));
        steps.Add(Bash(
            $"aetherflow task log {id} {ShellText.Quote($"Handoff: {plan.Summary} Tests pass (sh tests/run.sh); {branch} is merged into {DemoProject.BaseBranch}. Nothing left open.")}",
            "Write the handoff"));
        steps.Add(Bash($"aetherflow task done {id}", "Mark the task done"));
        steps.Add(ScriptStep.Reply(
            $"{plan.Summary} Landed {branch} on {DemoProject.BaseBranch} and marked {id} done.\n\n"
            + "(This is the scripted demo agent: its steps are canned, no model was asked.)"));
        return steps;
    }

    private static ScriptStep Bash(string command, string description) =>
        ScriptStep.Tool(Tool("bash", new JsonObject { ["command"] = command, ["description"] = description }));

    private static ScriptedToolCall Tool(string name, JsonObject arguments) => new(name, arguments);
}
