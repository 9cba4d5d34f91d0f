using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>An <see cref="IEngine"/> whose snapshot a view test sets directly.</summary>
internal sealed class StubEngine : IEngine
{
    private EngineSnapshot snapshot = new()
    {
        Project = "demo",
        PoolSize = 3,
        Runtime = "opencode",
        TaskSource = "builtin",
        SpawnPolicy = SpawnPolicy.Manual,
    };

    public event EventHandler<EngineSnapshot>? SnapshotChanged;

    public EngineIdentity Identity { get; } = new()
    {
        BuildVersion = "test",
        Project = "demo",
        ProjectDirectory = "/projects/demo",
        Pid = 4242,
        ProtocolVersion = 1,
        MinProtocolVersion = 1,
    };

    public EngineSnapshot Snapshot => snapshot;

    public List<PoolMode> ModeRequests { get; } = [];

    public void Publish(Func<EngineSnapshot, EngineSnapshot> change)
    {
        snapshot = change(snapshot) with { Revision = snapshot.Revision + 1 };
        SnapshotChanged?.Invoke(this, snapshot);
    }

    public List<string> Requests { get; } = [];

    public Task<AgentInfo> SpawnAsync(SpawnRequest request, CancellationToken cancellationToken)
    {
        Requests.Add($"spawn {request.Prompt}");
        var agent = new AgentInfo { Name = "new_agent", Role = "spawn", Origin = AgentOrigin.Spawn, TaskId = "spawn-new_agent-000001", Title = request.Prompt };
        Publish(s => s with { Agents = [.. s.Agents, agent] });
        return Task.FromResult(agent);
    }

    public Task SteerAsync(string agentName, string message, string sender, CancellationToken cancellationToken)
    {
        Requests.Add($"steer {agentName} by {sender}: {message}");
        return Task.CompletedTask;
    }

    public Task StopAgentAsync(string agentName, string requestedBy, CancellationToken cancellationToken)
    {
        Requests.Add($"stop {agentName} by {requestedBy}");
        return Task.CompletedTask;
    }

    public Task<PoolMode> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken)
    {
        ModeRequests.Add(mode);
        Publish(s => s with { Mode = mode });
        return Task.FromResult(mode);
    }
}
