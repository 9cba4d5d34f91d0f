using Aetherflow.Engine.Pool;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Prompts;

/// <summary>
/// Renders the prompts agents start with from the <see cref="PromptLibrary"/> templates, with the tracker commands,
/// landing steps and project facts of <see cref="PromptOptions"/>.
/// </summary>
/// <remarks>
/// The constructor checks every template against the variables it will get, so an override that uses an unknown
/// variable fails at startup. Untrusted text (a task title, a person's prompt) is inserted literally by a single-pass
/// render, so a <c>{{</c> in it is harmless.
/// </remarks>
public sealed class TaskPrompts : IAgentPrompts
{
    /// <summary>The prefix of every agent branch: task <c>ts-1</c> works on <c>af/ts-1</c>.</summary>
    public const string BranchPrefix = "af/";

    /// <summary>The folder, relative to the project root, that holds the agents' worktrees.</summary>
    public const string WorktreeFolder = ".aetherflow/worktrees";

    /// <summary>The longest task title put into a prompt; longer ones are cut.</summary>
    public const int MaxTitleLength = 200;

    private const string SampleId = "id-0";

    private readonly PromptLibrary library;
    private readonly PromptOptions options;
    private readonly PromptTemplate taskSteps;
    private readonly PromptTemplate taskDonts;
    private readonly PromptTemplate spawnSteps;
    private readonly PromptTemplate spawnDonts;
    private readonly PromptTemplate otherSpawnSteps;
    private readonly PromptTemplate otherSpawnDonts;

    /// <summary>Creates the renderer and checks every template against the variables it will get.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="PromptException">A template uses a variable that its role does not provide.</exception>
    public TaskPrompts(PromptLibrary library, PromptOptions options)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.library = library;
        this.options = options;
        taskSteps = PromptTemplate.Parse("landing steps (built in)", LandingText.TaskSteps(options.Solo));
        taskDonts = PromptTemplate.Parse("landing rules (built in)", LandingText.TaskDonts(options.Solo));
        spawnSteps = PromptTemplate.Parse("spawn landing steps (built in)", LandingText.SpawnSteps(options.Solo));
        spawnDonts = PromptTemplate.Parse("spawn landing rules (built in)", LandingText.SpawnDonts(options.Solo));

        // A spawn may ask for the other landing mode than the project's (aetherflow spawn --solo).
        otherSpawnSteps = PromptTemplate.Parse("spawn landing steps (built in)", LandingText.SpawnSteps(!options.Solo));
        otherSpawnDonts = PromptTemplate.Parse("spawn landing rules (built in)", LandingText.SpawnDonts(!options.Solo));

        foreach (string role in PromptRoles.All)
        {
            PromptTemplate template = library.Get(role);
            IReadOnlyDictionary<string, string> provided = role == PromptRoles.Spawn
                ? SpawnValues(SampleId, string.Empty, options.Solo)
                : TaskValues(SampleId, string.Empty);
            List<string> unknown = template.Variables.Where(v => !provided.ContainsKey(v)).ToList();
            if (unknown.Count > 0)
            {
                throw new PromptException(
                    $"{template.Name} uses {string.Join(", ", unknown.Select(v => "{{" + v + "}}"))}, which aetherflow does not "
                    + $"provide for {role} prompts; use only: {string.Join(", ", VariablesFor(role))}");
            }
        }
    }

    /// <summary>The names of the variables a role's template can use, sorted.</summary>
    /// <exception cref="ArgumentException"><paramref name="role"/> is not a prompt role.</exception>
    public static IReadOnlyList<string> VariablesFor(string role)
    {
        IEnumerable<string> common = ["project", "project_dir", "base_branch", "remote", "branch", "worktree", "land_steps", "land_donts"];
        IEnumerable<string> names = PromptRoles.Require(role) == PromptRoles.Spawn
            ? common.Concat(["spawn_id", "user_prompt"])
            : common.Concat(["task_id", "task_title"]).Concat(TrackerCommands.Names);
        return names.Order(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The role is not <c>worker</c> or <c>planner</c>, or the task id is invalid.</exception>
    public string ForTask(TrackerTaskDetail task, string role)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (role is not (PromptRoles.Worker or PromptRoles.Planner))
        {
            throw new ArgumentException($"'{role}' is not a task role; use {PromptRoles.Worker} or {PromptRoles.Planner}", nameof(role));
        }

        return library.Get(role).Render(TaskValues(RequireId(task.Id, nameof(task)), task.Title));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The spawn id is invalid or the prompt is empty.</exception>
    public string ForSpawn(string spawnId, string userPrompt, bool solo)
    {
        ArgumentNullException.ThrowIfNull(userPrompt);
        if (string.IsNullOrWhiteSpace(userPrompt))
        {
            throw new ArgumentException("the spawn prompt is empty; say what the agent should do", nameof(userPrompt));
        }

        return library.Get(PromptRoles.Spawn).Render(SpawnValues(RequireId(spawnId, nameof(spawnId)), userPrompt, solo));
    }

    /// <summary>The message that asks the agent working on <paramref name="taskId"/> to write a handoff into the task log.</summary>
    /// <exception cref="ArgumentException">The task id is invalid.</exception>
    public string ForHandoff(string taskId) =>
        library.Get(PromptRoles.Handoff).Render(TaskValues(RequireId(taskId, nameof(taskId)), string.Empty));

    private static string RequireId(string? id, string paramName) =>
        Identifiers.IsTaskId(id) ? id! : throw new ArgumentException($"'{id}' is not a valid task or spawn id", paramName);

    private Dictionary<string, string> CommonValues(string workId) => new(StringComparer.Ordinal)
    {
        ["project"] = options.Project,
        ["project_dir"] = ShellText.Quote(options.ProjectDirectory),
        ["base_branch"] = options.BaseBranch,
        ["remote"] = options.Remote,
        ["branch"] = BranchPrefix + workId,
        ["worktree"] = $"{WorktreeFolder}/{workId}",
    };

    private Dictionary<string, string> TaskValues(string taskId, string title)
    {
        Dictionary<string, string> values = CommonValues(taskId);
        values["task_id"] = taskId;
        values["task_title"] = TerminalText.Truncate(TerminalText.SanitizeLine(title).Trim(), MaxTitleLength);
        foreach ((string name, string value) in TrackerCommands.For(options.Tracker, options.Project, taskId))
        {
            values[name] = value;
        }

        AddLanding(values, taskId, taskSteps, taskDonts, spawn: false);
        return values;
    }

    private Dictionary<string, string> SpawnValues(string spawnId, string userPrompt, bool solo)
    {
        Dictionary<string, string> values = CommonValues(spawnId);
        values["spawn_id"] = spawnId;
        values["user_prompt"] = userPrompt;
        bool projectMode = solo == options.Solo;
        AddLanding(values, spawnId, projectMode ? spawnSteps : otherSpawnSteps, projectMode ? spawnDonts : otherSpawnDonts, spawn: true);
        return values;
    }

    // The landing text is rendered with the prompt's own values and then becomes a value itself, never re-expanded.
    private static void AddLanding(Dictionary<string, string> values, string workId, PromptTemplate steps, PromptTemplate donts, bool spawn)
    {
        var landingValues = new Dictionary<string, string>(values, StringComparer.Ordinal)
        {
            ["work_id"] = workId,
            ["stop"] = LandingText.StopFor(spawn),
        };
        values["land_steps"] = steps.Render(landingValues);
        values["land_donts"] = donts.Render(landingValues);
    }
}
