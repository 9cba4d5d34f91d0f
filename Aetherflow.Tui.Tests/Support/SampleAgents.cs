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
}
