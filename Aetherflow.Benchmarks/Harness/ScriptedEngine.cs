using Aetherflow.Engine.Api;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// An <see cref="IEngine"/> whose agents, snapshots and events a measure drives directly, at its own pace: what the
/// dashboard is shown is exactly what the measure appended, and when. Commands the dashboard might send are refused.
/// </summary>
internal sealed class ScriptedEngine : IEngine
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<EventLine>> events = new(StringComparer.Ordinal);
    private EngineSnapshot snapshot;

    public ScriptedEngine(int agents)
    {
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        snapshot = new EngineSnapshot
        {
            Project = "bench",
            PoolSize = agents,
            Runtime = "opencode",
            TaskSource = "builtin",
            Agents = [.. Enumerable.Range(0, agents).Select(i => Agent(i, now))],
        };
    }

    public event EventHandler<EngineSnapshot>? SnapshotChanged;

    public event EventHandler<AgentEventsAppended>? EventsAppended;

    public EngineIdentity Identity { get; } = new()
    {
        BuildVersion = "bench",
        Project = "bench",
        ProjectDirectory = "/work/bench",
        Pid = Environment.ProcessId,
        ProtocolVersion = 1,
        MinProtocolVersion = 1,
    };

    public EngineSnapshot Snapshot => Volatile.Read(ref snapshot);

    public static string AgentName(int index) => $"agent_{index:D2}";

    /// <summary>Publishes a new snapshot made by <paramref name="change"/> (as the engine would after a state change).</summary>
    public void Publish(Func<EngineSnapshot, EngineSnapshot> change)
    {
        EngineSnapshot next;
        lock (gate)
        {
            next = change(snapshot) with { Revision = snapshot.Revision + 1 };
            Volatile.Write(ref snapshot, next);
        }

        SnapshotChanged?.Invoke(this, next);
    }

    /// <summary>Records one event line for <paramref name="agent"/> and announces it.</summary>
    public void Append(string agent, string text)
    {
        long sequence;
        lock (gate)
        {
            if (!events.TryGetValue(agent, out List<EventLine>? lines))
            {
                events[agent] = lines = [];
            }

            sequence = lines.Count + 1;
            lines.Add(new EventLine
            {
                Sequence = sequence,
                At = TimeProvider.System.GetUtcNow(),
                Type = "message.part.updated",
                Kind = "tool",
                Segments = [new EventSegment("tool", "bash"), new EventSegment("plain", " " + text)],
            });
        }

        EventsAppended?.Invoke(this, new AgentEventsAppended(agent, "ses_" + agent, sequence) { FirstSequence = sequence });
    }

    public Task<EventPage> ReadEventsAsync(string agentName, long afterSequence, int limit, bool raw, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            List<EventLine> lines = events.TryGetValue(agentName, out List<EventLine>? found) ? found : [];
            List<EventLine> page = [.. lines.Where(l => l.Sequence > afterSequence).Take(limit)];
            return Task.FromResult(new EventPage
            {
                SessionId = "ses_" + agentName,
                Events = page,
                NextCursor = page.Count > 0 ? page[^1].Sequence : afterSequence,
                HasMore = lines.Count(l => l.Sequence > afterSequence) > page.Count,
            });
        }
    }

    public Task<AgentDetail> GetAgentAsync(string agentName, CancellationToken cancellationToken) =>
        Snapshot.Agents.FirstOrDefault(a => a.Name == agentName) is { } agent
            ? Task.FromResult(new AgentDetail { Agent = agent })
            : throw new KeyNotFoundException($"no agent is named '{agentName}'");

    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<SessionInfo>>([]);

    public Task<PermissionRequestInfo> AnswerPermissionAsync(string agentName, PermissionReply reply, CancellationToken cancellationToken) => Refuse<PermissionRequestInfo>();

    public Task<PoolMode> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken) => Refuse<PoolMode>();

    public Task<AgentInfo> SpawnAsync(SpawnRequest request, CancellationToken cancellationToken) => Refuse<AgentInfo>();

    public Task SteerAsync(string agentName, string message, string sender, CancellationToken cancellationToken) => Refuse<bool>();

    public Task StopAgentAsync(string agentName, string requestedBy, CancellationToken cancellationToken) => Refuse<bool>();

    public Task<SessionAttachInfo> GetSessionAttachAsync(string sessionId, CancellationToken cancellationToken) => Refuse<SessionAttachInfo>();

    public Task<SessionAttachInfo> GetAgentAttachAsync(string agentName, CancellationToken cancellationToken) => Refuse<SessionAttachInfo>();

    private static AgentInfo Agent(int index, DateTimeOffset now) => new()
    {
        Name = AgentName(index),
        Origin = AgentOrigin.Pool,
        Role = "worker",
        TaskId = $"ts-{index:D6}",
        Title = $"Benchmark task {index}",
        Activity = AgentActivity.Busy,
        Pid = 10_000 + index,
        SessionId = "ses_" + AgentName(index),
        SpawnedAt = now - TimeSpan.FromMinutes(index),
        LastTool = "bash: dotnet test",
        InputTokens = 12_000,
        OutputTokens = 345,
    };

    private static Task<T> Refuse<T>() => Task.FromException<T>(new NotSupportedException("the benchmark engine takes no commands"));
}
