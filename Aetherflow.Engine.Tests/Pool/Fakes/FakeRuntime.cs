using System.Collections.Concurrent;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Runtimes;

namespace Aetherflow.Engine.Tests.Pool.Fakes;

/// <summary>A runtime whose agents live until the test ends them; records every launch.</summary>
internal sealed class FakeRuntime : IAgentRuntime
{
    private readonly ConcurrentQueue<FakeAgent> launched = new();
    private int sessions;

    public string Name => "fake";

    public IReadOnlyList<FakeAgent> Launched => [.. launched];

    /// <summary>When set, launches throw this message.</summary>
    public string? LaunchFailure { get; set; }

    /// <summary>Work ids whose launch fails.</summary>
    public ConcurrentDictionary<string, string> FailingWork { get; } = new();

    public Action<string>? OnLaunch { get; set; }

    /// <summary>When set, agents report their exit in the status they start with (a process that ended at once).</summary>
    public bool ExitedAtStart { get; set; }

    public Task<IAgentHandle> StartAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        OnLaunch?.Invoke(launch.WorkId);
        if (LaunchFailure is { } failure || FailingWork.TryGetValue(launch.WorkId, out failure))
        {
            throw new AgentLaunchException(failure);
        }

        string session = launch.ResumeSessionId ?? $"ses_{Interlocked.Increment(ref sessions)}";
        var agent = new FakeAgent(launch, session);
        if (ExitedAtStart)
        {
            agent.Report(AgentActivity.Exited);
        }

        launched.Enqueue(agent);
        return Task.FromResult<IAgentHandle>(agent);
    }

    public IReadOnlyList<FakeAgent> LaunchesOf(string workId) => Launched.Where(a => a.Launch.WorkId == workId).ToList();
}

/// <summary>One fake agent: the test decides when and how it ends.</summary>
internal sealed class FakeAgent : IAgentHandle, ISteerableAgent
{
    private readonly TaskCompletionSource<AgentOutcome> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int aliveProbes;

    public FakeAgent(AgentLaunch launch, string sessionId)
    {
        Launch = launch;
        SessionId = sessionId;
        Status = new AgentRuntimeStatus { Activity = AgentActivity.Busy, Pid = 4000 + launch.AgentName.Length, SessionId = sessionId };
    }

    public event EventHandler<AgentRuntimeStatus>? StatusChanged;

    public AgentLaunch Launch { get; }

    public string SessionId { get; }

    public AgentRuntimeStatus Status { get; private set; }

    public Task<AgentOutcome> Completion => completion.Task;

    public bool Alive { get; set; } = true;

    public int StopCalls { get; private set; }

    public List<string> Steers { get; } = [];

    /// <summary>How many times the pool probed whether the agent's process is alive.</summary>
    public int AliveProbes => Volatile.Read(ref aliveProbes);

    public bool IsAlive()
    {
        Interlocked.Increment(ref aliveProbes);
        return Alive && !completion.Task.IsCompleted;
    }

    public void Exit(int code) => completion.TrySetResult(new AgentOutcome(code == 0, code, code == 0 ? "exited" : $"exited with code {code}", SessionId));

    public void Report(AgentActivity activity)
    {
        Status = Status with { Activity = activity };
        StatusChanged?.Invoke(this, Status);
    }

    public Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        StopCalls++;
        completion.TrySetResult(new AgentOutcome(false, 143, "killed by signal 15", SessionId));
        return Task.CompletedTask;
    }

    public Task SteerAsync(string message, string sender, CancellationToken cancellationToken)
    {
        Steers.Add($"{sender}: {message}");
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
