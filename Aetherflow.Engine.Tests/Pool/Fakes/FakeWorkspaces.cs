using Aetherflow.Engine.Pool;
using Aetherflow.Engine.Tasks;

namespace Aetherflow.Engine.Tests.Pool.Fakes;

internal sealed class FakeWorkspaces : IAgentWorkspaces
{
    public string? Failure { get; set; }

    public Task<AgentWorkspace> PrepareAsync(string workId, CancellationToken cancellationToken) =>
        Failure is { } failure
            ? throw new IOException(failure)
            : Task.FromResult(new AgentWorkspace($"/repo/.aetherflow/worktrees/{workId}", $"af/{workId}"));
}

internal sealed class FakePrompts : IAgentPrompts
{
    public string ForTask(TrackerTaskDetail task, string role) => $"{role} prompt for {task.Id}";

    public string ForSpawn(string spawnId, string userPrompt, bool solo) => $"{(solo ? "solo " : string.Empty)}spawn prompt {spawnId}: {userPrompt}";
}

internal sealed class FakeSessions : IResumableSessions
{
    public Dictionary<string, string> ByWork { get; } = [];

    public Task<string?> FindAsync(string workId, CancellationToken cancellationToken) =>
        Task.FromResult(ByWork.TryGetValue(workId, out string? session) ? session : null);
}
