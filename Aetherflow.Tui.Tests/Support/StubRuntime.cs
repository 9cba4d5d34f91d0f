using System.Collections.Concurrent;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Pool;
using Aetherflow.Engine.Runtimes;
using Aetherflow.Engine.Tasks;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>
/// Agents for CLI tests: each gets an opencode-like session id and lives until the test (or <see cref="OnStart"/>)
/// ends it; the test writes their events into the engine's real event store.
/// </summary>
internal sealed class StubRuntime : IAgentRuntime, IAgentWorkspaces, IAgentPrompts
{
    private readonly ConcurrentQueue<StubAgent> launched = new();
    private int sessions;

    public string Name => "stub";

    public IReadOnlyList<StubAgent> Launched => [.. launched];

    /// <summary>Runs (in the background) for every agent that starts.</summary>
    public Func<StubAgent, Task>? OnStart { get; set; }

    public Task<IAgentHandle> StartAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        var agent = new StubAgent(launch, $"ses_stub{Interlocked.Increment(ref sessions):D4}");
        launched.Enqueue(agent);
        if (OnStart is { } onStart)
        {
            _ = Task.Run(() => onStart(agent), CancellationToken.None);
        }

        return Task.FromResult<IAgentHandle>(agent);
    }

    public Task<AgentWorkspace> PrepareAsync(string workId, CancellationToken cancellationToken) =>
        Task.FromResult(new AgentWorkspace($"/repo/.aetherflow/worktrees/{workId}", $"af/{workId}"));

    public string ForTask(TrackerTaskDetail task, string role) => $"{role} prompt for {task.Id}";

    public string ForSpawn(string spawnId, string userPrompt, bool solo) => $"{(solo ? "solo " : string.Empty)}spawn {spawnId}: {userPrompt}";
}

/// <summary>One stub agent.</summary>
internal sealed class StubAgent : IAgentHandle, ISteerableAgent
{
    private readonly TaskCompletionSource<AgentOutcome> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StubAgent(AgentLaunch launch, string sessionId)
    {
        Launch = launch;
        SessionId = sessionId;
        Status = new AgentRuntimeStatus { Activity = AgentActivity.Busy, Pid = 4242, SessionId = sessionId, LastTool = "bash: make test" };
    }

    public event EventHandler<AgentRuntimeStatus>? StatusChanged;

    public AgentLaunch Launch { get; }

    public string SessionId { get; }

    public AgentRuntimeStatus Status { get; private set; }

    public Task<AgentOutcome> Completion => completion.Task;

    public ConcurrentQueue<string> Steers { get; } = new();

    public int StopCalls { get; private set; }

    public bool IsAlive() => !completion.Task.IsCompleted;

    public void Exit(int code, string? error = null)
    {
        Status = Status with { Activity = AgentActivity.Exited };
        StatusChanged?.Invoke(this, Status);
        completion.TrySetResult(new AgentOutcome(code == 0, code, error ?? (code == 0 ? "exited" : $"exited with code {code}"), SessionId));
    }

    public Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        StopCalls++;
        completion.TrySetResult(new AgentOutcome(false, 143, "killed by signal 15", SessionId));
        return Task.CompletedTask;
    }

    public Task SteerAsync(string message, string sender, CancellationToken cancellationToken)
    {
        Steers.Enqueue(message);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
