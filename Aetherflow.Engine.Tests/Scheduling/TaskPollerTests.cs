using Aetherflow.Engine.Pool;
using Aetherflow.Engine.Scheduling;
using Aetherflow.Engine.Tests.Pool;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Tests.Scheduling;

public sealed class TaskPollerTests
{
    [Test]
    public async Task Polls_at_start_and_then_every_interval()
    {
        await using var pool = new PoolHarness();
        await using var poller = new TaskPoller(pool.Pool, TimeSpan.FromSeconds(10), null, pool.Clock, NullLogger.Instance);

        poller.Start();
        await pool.UntilAsync(() => ReadyCalls(pool) == 1, "the first pass");
        pool.Clock.Advance(TimeSpan.FromSeconds(9.9));
        await pool.ScheduleAsync();
        int beforeInterval = ReadyCalls(pool);
        pool.Clock.Advance(TimeSpan.FromSeconds(0.2));

        await pool.UntilAsync(() => ReadyCalls(pool) == beforeInterval + 1, "the pass after one interval");
        Assert.That(beforeInterval, Is.EqualTo(2), "only the start pass and the explicit one ran before the interval");
    }

    [Test]
    public async Task The_interval_counts_from_the_start_of_a_pass_so_a_pass_that_outlasts_it_is_followed_at_once()
    {
        await using var pool = new PoolHarness();
        await using var poller = new TaskPoller(pool.Pool, TimeSpan.FromSeconds(10), null, pool.Clock, NullLogger.Instance);
        var slowTracker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.Tasks.HoldReady = slowTracker.Task;

        poller.Start();
        await pool.UntilAsync(() => ReadyCalls(pool) == 1, "the first pass to ask the tracker");
        pool.Clock.Advance(TimeSpan.FromSeconds(10.1));
        pool.Tasks.HoldReady = null;
        slowTracker.SetResult();

        await pool.UntilAsync(() => ReadyCalls(pool) == 2, "the next pass, without the clock moving again");
    }

    [Test]
    public async Task A_change_to_the_tracker_file_triggers_a_pass_at_once()
    {
        using var folder = new TempDirectory("afpoll");
        string database = folder.Write("prog.db", "v1");
        await using var pool = new PoolHarness();
        await using var poller = new TaskPoller(pool.Pool, TimeSpan.FromHours(1), database, TimeProvider.System, NullLogger.Instance);
        poller.Start();
        await pool.UntilAsync(() => ReadyCalls(pool) == 1, "the first pass");

        pool.Tasks.Add("ts-000001");
        await File.AppendAllTextAsync(database, "v2");

        await pool.UntilLaunchedAsync("ts-000001");
        Assert.That(ReadyCalls(pool), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task Wake_runs_a_pass_without_waiting_for_the_interval()
    {
        await using var pool = new PoolHarness();
        await using var poller = new TaskPoller(pool.Pool, TimeSpan.FromHours(1), null, TimeProvider.System, NullLogger.Instance);
        poller.Start();
        await pool.UntilAsync(() => ReadyCalls(pool) == 1, "the first pass");

        pool.Tasks.Add("ts-000001");
        poller.Wake();

        await pool.UntilLaunchedAsync("ts-000001");
    }

    private static int ReadyCalls(PoolHarness pool) => pool.Tasks.Calls.Count(c => c == "ready");
}
