using Aetherflow.Engine.Api;
using Aetherflow.Engine.Pool;
using Aetherflow.Engine.Tests.Pool.Fakes;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Pool;

/// <summary>An <see cref="AgentPool"/> on a fake clock with a fake tracker and runtime.</summary>
internal sealed class PoolHarness : IAsyncDisposable
{
    private readonly List<EngineDecision> decisions = [];

    public PoolHarness(PoolOptions? options = null, bool withSessions = true)
    {
        Options = options ?? new PoolOptions { PoolSize = 3, MaxRetries = 3, RetryBackoff = TimeSpan.FromSeconds(5), RetryBackoffMax = TimeSpan.FromMinutes(5) };
        Pool = new AgentPool(
            new PoolServices
            {
                Tasks = Tasks,
                Runtime = Runtime,
                Workspaces = Workspaces,
                Prompts = new FakePrompts(),
                Sessions = withSessions ? Sessions : null,
                Random = new Random(7),
                Time = Clock,
            },
            Options);
        Pool.Decided += (_, d) =>
        {
            lock (decisions)
            {
                decisions.Add(d);
            }
        };
        Pool.Start();
    }

    public PoolOptions Options { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    public FakeTaskSource Tasks { get; } = new();

    public FakeRuntime Runtime { get; } = new();

    public FakeWorkspaces Workspaces { get; } = new();

    public FakeSessions Sessions { get; } = new();

    public AgentPool Pool { get; }

    public IReadOnlyList<string> Decisions
    {
        get
        {
            lock (decisions)
            {
                return decisions.Select(d => $"{d.Kind}: {d.Message}").ToList();
            }
        }
    }

    public Task ScheduleAsync() => Pool.ScheduleAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

    public AgentInfo Agent(string workId) => Pool.State.Agents.Single(a => a.TaskId == workId);

    public Task UntilAsync(Func<bool> condition, string what) => Eventually.TrueAsync(condition, what);

    public Task UntilAgentAsync(string workId, AgentActivity activity) =>
        UntilAsync(() => Pool.State.Agents.Any(a => a.TaskId == workId && a.Activity == activity), $"{workId} to be {activity}");

    public async Task<FakeAgent> UntilLaunchedAsync(string workId, int count = 1)
    {
        await UntilAsync(() => Runtime.LaunchesOf(workId).Count >= count, $"launch #{count} of {workId}");
        await UntilAsync(() => Pool.State.Agents.Any(a => a.TaskId == workId && a.Activity is AgentActivity.Busy), $"{workId} running");
        return Runtime.LaunchesOf(workId)[count - 1];
    }

    /// <summary>Advances the fake clock and lets the pool's loop catch up.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        Clock.Advance(span);
        await Pool.SetModeAsync(Pool.State.Mode, CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);
    }

    /// <summary>Advances the fake clock in steps until <paramref name="condition"/> holds (for timers the pool starts in the background).</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan step)
    {
        DateTime deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            await AdvanceAsync(step);
        }
    }

    public async ValueTask DisposeAsync() => await Pool.DisposeAsync();
}
