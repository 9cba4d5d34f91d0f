using System.Collections.Concurrent;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;

namespace Aetherflow.Engine.Tests.Tasks.Builtin;

public sealed class TaskClaimConcurrencyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task Of_many_concurrent_claimers_exactly_one_wins_each_task()
    {
        using var fixture = new StoreFixture();
        var ids = new List<string>();
        for (int i = 0; i < 15; i++)
        {
            ids.Add(await fixture.AddAsync("contended " + i));
        }

        // Six store instances (six connections, as six processes would have) race for every task at once.
        BuiltinTaskStore[] claimers = [.. Enumerable.Range(0, 6).Select(_ => fixture.Open())];
        var wins = new ConcurrentBag<(int Claimer, string Task)>();
        var refusals = new ConcurrentBag<InvalidTaskTransitionException>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task[] racers = [.. claimers.Select((store, n) => Task.Run(async () =>
        {
            await start.Task;
            foreach (string id in ids)
            {
                try
                {
                    await store.ClaimAsync(id, None);
                    wins.Add((n, id));
                }
                catch (InvalidTaskTransitionException ex)
                {
                    refusals.Add(ex);
                }
            }
        }))];
        start.SetResult();
        await Task.WhenAll(racers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(wins.Select(w => w.Task), Is.EquivalentTo(ids), "every task claimed exactly once");
        Assert.That(refusals, Has.Count.EqualTo(ids.Count * (claimers.Length - 1)));
        Assert.That(refusals.Select(r => r.Current), Is.All.EqualTo(TrackerTaskState.InProgress));
        Assert.That((await fixture.Store.ListAsync(TrackerTaskState.InProgress, None)).Select(t => t.Id), Is.EquivalentTo(ids));
    }

    [Test]
    public async Task Concurrent_adds_and_logs_from_many_writers_lose_nothing()
    {
        using var fixture = new StoreFixture();
        string shared = await fixture.AddAsync("shared log");
        BuiltinTaskStore[] writers = [.. Enumerable.Range(0, 4).Select(_ => fixture.Open())];

        Task[] work = [.. writers.Select((store, n) => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                await store.AddAsync(new NewTask { Title = $"w{n}-{i}" }, None);
                await store.AppendLogAsync(shared, $"w{n}-{i}", None);
            }
        }))];
        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(60));

        IReadOnlyList<TrackerTaskDetail> all = await fixture.Store.ListDetailsAsync(null, None);
        Assert.That(all, Has.Count.EqualTo(101));
        Assert.That(all.Select(t => t.Id), Is.Unique);
        IReadOnlyList<TaskLogEntry> logs = (await fixture.Store.GetAsync(shared, None)).Logs;
        Assert.That(logs.Select(l => l.Message), Is.EquivalentTo(Enumerable.Range(0, 4).SelectMany(n => Enumerable.Range(0, 25).Select(i => $"w{n}-{i}"))));
        for (int n = 0; n < 4; n++)
        {
            string prefix = $"w{n}-";
            Assert.That(logs.Select(l => l.Message).Where(m => m.StartsWith(prefix, StringComparison.Ordinal)), Is.EqualTo(Enumerable.Range(0, 25).Select(i => prefix + i)), "each writer's entries stay in its order");
        }
    }
}
