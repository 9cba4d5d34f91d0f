using Aetherflow.Engine.Api;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>Agents and tasks for view tests.</summary>
internal static class SampleAgents
{
    public static AgentInfo Worker(string name, string task, string title, AgentActivity activity, TimeSpan age, int? exitCode = null) => new()
    {
        Name = name,
        Origin = AgentOrigin.Pool,
        Role = "worker",
        TaskId = task,
        Title = title,
        Activity = activity,
        ExitCode = exitCode,
        Pid = 1000 + name.Length,
        SpawnedAt = DashboardHarness.Start - age,
        LastTool = activity == AgentActivity.Busy ? "bash: dotnet test" : null,
        InputTokens = 12_000,
        OutputTokens = 345,
        SessionId = "ses_" + name,
        Worktree = "/projects/demo/.aetherflow/worktrees/" + task,
        Branch = "af/" + task,
    };

    public static AgentInfo Spawned(string name, string prompt, TimeSpan age) => new()
    {
        Name = name,
        Origin = AgentOrigin.Spawn,
        Role = "spawn",
        TaskId = "spawn-" + name,
        Title = prompt,
        Activity = AgentActivity.Busy,
        SpawnedAt = DashboardHarness.Start - age,
        LastTool = "edit: src/App.cs",
    };

    public static EngineSnapshot Busy(EngineSnapshot s) => s with
    {
        Agents =
        [
            Worker("ghost_wolf", "ts-a1b2c3", "Fix auth token expiry", AgentActivity.Busy, TimeSpan.FromMinutes(12)),
            Worker("neon_daemon", "ts-d4e5f6", "Add rate limiting", AgentActivity.Idle, TimeSpan.FromSeconds(42)),
            Worker("rust_falcon", "ts-0a0b0c", "Migrate settings", AgentActivity.Exited, TimeSpan.FromHours(2), exitCode: 1),
            Spawned("calm_otter", "Refactor the config loader", TimeSpan.FromMinutes(3)),
        ],
        Queue = [new QueuedTask("ts-777777", 1, "Write docs"), new QueuedTask("ts-888888", 2, "Clean up logs")],
        SpawnPolicy = Aetherflow.Engine.Config.SpawnPolicy.Auto,
    };

    /// <summary>ghost_wolf's detail: three tool calls (one running, one failed), a task with Markdown and a log.</summary>
    public static AgentDetail GhostWolfDetail() => new()
    {
        Agent = Worker("ghost_wolf", "ts-a1b2c3", "Fix auth token expiry", AgentActivity.Busy, TimeSpan.FromMinutes(12)),
        ToolCalls =
        [
            new ToolCallInfo("read", "src/Auth/Token.cs", null, "completed", DashboardHarness.Start - TimeSpan.FromMinutes(10), 12, null),
            new ToolCallInfo("bash", "dotnet build", "Build the solution", "error", DashboardHarness.Start - TimeSpan.FromMinutes(6), 41_200, "exit code 1"),
            new ToolCallInfo("bash", "dotnet test", "Run the tests", "running", DashboardHarness.Start - TimeSpan.FromSeconds(30), null, null),
        ],
        Task = new TaskInfo
        {
            Id = "ts-a1b2c3",
            Title = "Fix auth token expiry",
            Status = "in_progress",
            Priority = 1,
            Dependencies = ["ts-000001"],
            Description = "Tokens expire **too early** because the clock skew is ignored.\n\n* check `Token.IsExpired`\n* add a test\n",
            DefinitionOfDone = "1. The tests pass\n2. A regression test covers skew",
            Logs = [new TaskLogLine("Started: reading the token code", DashboardHarness.Start - TimeSpan.FromMinutes(11)), new TaskLogLine("Build fails on a missing using", DashboardHarness.Start - TimeSpan.FromMinutes(5))],
        },
        LastText = "Running the tests now.",
    };

    public static EventLine Event(long sequence, string kind, params (string Kind, string Text)[] segments) => new()
    {
        Sequence = sequence,
        At = DashboardHarness.Start + TimeSpan.FromSeconds(sequence),
        Type = "message.part.updated",
        Kind = kind,
        Segments = segments.Select(s => new EventSegment(s.Kind, s.Text)).ToList(),
    };
}
