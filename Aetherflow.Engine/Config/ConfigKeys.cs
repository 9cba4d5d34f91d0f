using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Config;

/// <summary>Every key <c>.aetherflow.yaml</c> accepts. The original tool's keys keep their names and meaning.</summary>
public static class ConfigKeys
{
    public static readonly ConfigKey Project = new(
        "project", ConfigValueKind.Text, string.Empty,
        "Project name; names the engine socket and tracker project (default: the project directory's name)",
        validate: v => Identifiers.IsProjectName((string)v) ? null : $"'{v}' is not a valid project name: {Identifiers.ProjectNameRule}");

    public static readonly ConfigKey SpawnPolicy = new(
        "spawn_policy", ConfigValueKind.Choice, "manual",
        "manual: only agents you spawn; auto: also take ready tasks from the tracker",
        choices: ["manual", "auto"]);

    public static readonly ConfigKey TaskSource = new(
        "task_source", ConfigValueKind.Choice, "builtin",
        "Task tracker: the built-in store or the prog CLI",
        choices: ["builtin", "prog"]);

    public static readonly ConfigKey Runtime = new(
        "runtime", ConfigValueKind.Choice, "opencode",
        "How agents run: opencode sessions over HTTP, or spawn_cmd child processes (implied by setting spawn_cmd)",
        choices: ["opencode", "command"]);

    public static readonly ConfigKey PoolSize = new(
        "pool_size", ConfigValueKind.Integer, 3,
        "Agent slots for tracker tasks",
        validate: v => (int)v is >= 1 and <= 256 ? null : $"must be between 1 and 256, got {v}");

    public static readonly ConfigKey PollInterval = new(
        "poll_interval", ConfigValueKind.Duration, TimeSpan.FromSeconds(10),
        "How often the tracker is asked for ready tasks (a tracker change also wakes the poller at once)",
        validate: v => (TimeSpan)v >= TimeSpan.FromMilliseconds(100) ? null : "must be at least 100ms");

    public static readonly ConfigKey MaxRetries = new(
        "max_retries", ConfigValueKind.Integer, 3,
        "Respawns of a failed agent before its task is put back (0 = never respawn)",
        validate: v => (int)v is >= 0 and <= 100 ? null : $"must be between 0 and 100, got {v}");

    public static readonly ConfigKey RetryBackoff = new(
        "retry_backoff", ConfigValueKind.Duration, TimeSpan.FromSeconds(5),
        "First respawn delay; doubles on each further failure, with jitter",
        validate: v => (TimeSpan)v >= TimeSpan.Zero ? null : "must not be negative");

    public static readonly ConfigKey RetryBackoffMax = new(
        "retry_backoff_max", ConfigValueKind.Duration, TimeSpan.FromMinutes(5),
        "Longest respawn delay",
        validate: v => (TimeSpan)v >= TimeSpan.Zero ? null : "must not be negative");

    public static readonly ConfigKey Solo = new(
        "solo", ConfigValueKind.Boolean, false,
        "Agents merge their own branch into the base branch instead of leaving it for review");

    public static readonly ConfigKey ReconcileInterval = new(
        "reconcile_interval", ConfigValueKind.Duration, TimeSpan.FromSeconds(30),
        "How often reviewing tasks are checked for a landed branch (not in solo mode)",
        validate: v => (TimeSpan)v >= TimeSpan.FromSeconds(5) ? null : $"must be at least 5s, got {DurationText.Format((TimeSpan)v)}");

    public static readonly ConfigKey BaseBranch = new(
        "base_branch", ConfigValueKind.Text, "main",
        "Branch agents start from and land on",
        validate: v => IsRefName((string)v) ? null : $"'{v}' is not a valid branch name");

    public static readonly ConfigKey Remote = new(
        "remote", ConfigValueKind.Text, "origin",
        "Git remote whose base branch decides whether a review has landed",
        validate: v => IsRefName((string)v) ? null : $"'{v}' is not a valid remote name");

    public static readonly ConfigKey PromptDir = new(
        "prompt_dir", ConfigValueKind.Text, string.Empty,
        "Folder with worker.md, planner.md, spawn.md to use instead of the built-in prompts");

    public static readonly ConfigKey SessionDir = new(
        "session_dir", ConfigValueKind.Text, string.Empty,
        "Folder of the session registry (default: ~/.config/aetherflow/sessions)");

    public static readonly ConfigKey SpawnCmd = new(
        "spawn_cmd", ConfigValueKind.Text, string.Empty,
        "Command that runs one agent (runtime: command); the rendered prompt is appended as the last argument",
        validate: v => ValidateCommand((string)v));

    public static readonly ConfigKey ServerUrl = new(
        "server_url", ConfigValueKind.Text, string.Empty,
        "Use this already running opencode server instead of starting one (loopback http URL with a port)",
        validate: v => ((string)v).Length == 0 || LoopbackUrl.IsValid((string)v) ? null : $"'{v}' is not allowed: {LoopbackUrl.Rule}");

    public static readonly ConfigKey OpencodeBin = new(
        "opencode_bin", ConfigValueKind.Text, "opencode",
        "The opencode executable");

    public static readonly ConfigKey ProgBin = new(
        "prog_bin", ConfigValueKind.Text, "prog",
        "The prog executable (task_source: prog)");

    public static readonly ConfigKey Model = new(
        "model", ConfigValueKind.Text, string.Empty,
        "Model for agent sessions as provider/model (default: opencode's own choice)");

    public static readonly ConfigKey HangTimeout = new(
        "hang_timeout", ConfigValueKind.Duration, TimeSpan.FromMinutes(10),
        "A busy agent with no events for this long is flagged as hung",
        validate: v => (TimeSpan)v >= TimeSpan.FromSeconds(1) ? null : "must be at least 1s");

    public static readonly ConfigKey HangAction = new(
        "hang_action", ConfigValueKind.Choice, "warn",
        "What to do with a hung agent: warn, steer (nudge it), or stop (and retry)",
        choices: ["warn", "steer", "stop"]);

    public static readonly ConfigKey EventBufferEvents = new(
        "event_buffer_events", ConfigValueKind.Integer, 10_000,
        "Events kept in memory per session",
        validate: v => (int)v is >= 100 and <= 1_000_000 ? null : $"must be between 100 and 1000000, got {v}");

    public static readonly ConfigKey PermissionExternalDirectory = new(
        "permission_external_directory", ConfigValueKind.Choice, "allow",
        "opencode permission for tools touching files outside the agent's worktree",
        choices: ["allow", "ask", "deny"]);

    public static readonly ConfigKey PermissionDoomLoop = new(
        "permission_doom_loop", ConfigValueKind.Choice, "deny",
        "opencode permission when an agent repeats the same tool call over and over",
        choices: ["allow", "ask", "deny"]);

    /// <summary>All keys, in the order <c>aetherflow config</c> prints them.</summary>
    public static IReadOnlyList<ConfigKey> All { get; } =
    [
        Project, SpawnPolicy, TaskSource, Runtime, PoolSize, PollInterval, MaxRetries, RetryBackoff, RetryBackoffMax,
        Solo, ReconcileInterval, BaseBranch, Remote, PromptDir, SessionDir, SpawnCmd, ServerUrl, OpencodeBin, ProgBin,
        Model, HangTimeout, HangAction, EventBufferEvents, PermissionExternalDirectory, PermissionDoomLoop,
    ];

    /// <summary>Finds a key by its YAML name.</summary>
    public static ConfigKey? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    private static bool IsRefName(string name) =>
        name.Length is > 0 and <= 200 && !name.StartsWith('-') && !name.Contains("..", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/');

    private static string? ValidateCommand(string command)
    {
        try
        {
            ShellWords.Split(command);
            return null;
        }
        catch (FormatException ex)
        {
            return $"cannot be split into words: {ex.Message}";
        }
    }
}
