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
        Fail();
        Requests.Add($"spawn {request.Prompt}");
        var agent = new AgentInfo { Name = "new_agent", Role = "spawn", Origin = AgentOrigin.Spawn, TaskId = "spawn-new_agent-000001", Title = request.Prompt };
        Publish(s => s with { Agents = [.. s.Agents, agent] });
        return Task.FromResult(agent);
    }

    public event EventHandler<AgentEventsAppended>? EventsAppended;

    public Dictionary<string, List<EventLine>> Events { get; } = [];

    public void AppendEvent(string agent, EventLine line)
    {
        if (!Events.TryGetValue(agent, out List<EventLine>? lines))
        {
            Events[agent] = lines = [];
        }

        lines.Add(line);
        EventsAppended?.Invoke(this, new AgentEventsAppended(agent, "ses_" + agent, line.Sequence));
    }

    /// <summary>Details returned by <see cref="GetAgentAsync"/>, by agent name (the agent itself comes from the snapshot).</summary>
    public Dictionary<string, AgentDetail> Details { get; } = [];

    /// <summary>The next call of any method throws this (then it is cleared).</summary>
    public Exception? NextFailure { get; set; }

    public int DetailReads { get; private set; }

    public List<SessionInfo> Sessions { get; } = [];

    public Task<AgentDetail> GetAgentAsync(string agentName, CancellationToken cancellationToken)
    {
        Fail();
        DetailReads++;
        AgentInfo agent = snapshot.Agents.FirstOrDefault(a => a.Name == agentName) ?? throw new KeyNotFoundException($"no agent is named '{agentName}'");
        return Task.FromResult(Details.TryGetValue(agentName, out AgentDetail? detail) ? detail with { Agent = agent } : new AgentDetail { Agent = agent });
    }

    public Task<SessionAttachInfo> GetAgentAttachAsync(string agentName, CancellationToken cancellationToken)
    {
        Fail();
        AgentInfo agent = snapshot.Agents.FirstOrDefault(a => a.Name == agentName) ?? throw new KeyNotFoundException($"no agent is named '{agentName}'");
        Requests.Add($"attach {agentName}");
        return Task.FromResult(new SessionAttachInfo { ServerUrl = "http://127.0.0.1:4096/", SessionId = agent.SessionId ?? "ses_" + agentName, Directory = agent.Worktree, Password = "secret" });
    }

    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken)
    {
        Fail();
        Requests.Add("sessions");
        return Task.FromResult<IReadOnlyList<SessionInfo>>(Sessions.ToList());
    }

    private void Fail()
    {
        if (NextFailure is { } failure)
        {
            NextFailure = null;
            throw failure;
        }
    }

    public int EventReads { get; private set; }

    public Task<EventPage> ReadEventsAsync(string agentName, long afterSequence, int limit, bool raw, CancellationToken cancellationToken)
    {
        Fail();
        EventReads++;
        List<EventLine> lines = Events.TryGetValue(agentName, out List<EventLine>? found) ? found : [];
        List<EventLine> after = lines.Where(l => l.Sequence > afterSequence).ToList();
        List<EventLine> page = after.Take(limit).ToList();
        return Task.FromResult(new EventPage { SessionId = "ses_" + agentName, Events = page, NextCursor = page.Count > 0 ? page[^1].Sequence : afterSequence, HasMore = after.Count > page.Count });
    }

    public Task<PermissionRequestInfo> AnswerPermissionAsync(string agentName, PermissionReply reply, CancellationToken cancellationToken)
    {
        Fail();
        Requests.Add($"permission {agentName} {reply}");
        return Task.FromResult(new PermissionRequestInfo("per_1", "external_directory", ["/etc/hostname"]));
    }

    public Task SteerAsync(string agentName, string message, string sender, CancellationToken cancellationToken)
    {
        Fail();
        Requests.Add($"steer {agentName} by {sender}: {message}");
        return Task.CompletedTask;
    }

    public Task StopAgentAsync(string agentName, string requestedBy, CancellationToken cancellationToken)
    {
        Fail();
        Requests.Add($"stop {agentName} by {requestedBy}");
        return Task.CompletedTask;
    }

    public Task<SessionAttachInfo> GetSessionAttachAsync(string sessionId, CancellationToken cancellationToken) =>
        Sessions.Any(s => s.SessionId == sessionId)
            ? Task.FromResult(new SessionAttachInfo { SessionId = sessionId, ServerUrl = "http://127.0.0.1:4096/" })
            : throw new KeyNotFoundException($"no session '{sessionId}'");

    public Task<PoolMode> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken)
    {
        Fail();
        ModeRequests.Add(mode);
        Publish(s => s with { Mode = mode });
        return Task.FromResult(mode);
    }
}
