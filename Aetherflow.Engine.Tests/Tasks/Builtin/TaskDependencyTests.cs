using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;

namespace Aetherflow.Engine.Tests.Tasks.Builtin;

public sealed class TaskDependencyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [TestCase(TrackerTaskState.Done, true)]
    [TestCase(TrackerTaskState.Canceled, true)]
    [TestCase(TrackerTaskState.Reviewing, false)]
    [TestCase(TrackerTaskState.InProgress, false)]
    [TestCase(TrackerTaskState.Open, false)]
    [TestCase(TrackerTaskState.Draft, false)]
    public async Task A_task_is_ready_only_when_its_dependency_is_done_or_canceled(TrackerTaskState blockerState, bool ready)
    {
        using var fixture = new StoreFixture();
        string blocker = await TaskTransitionTests.InStateAsync(fixture, blockerState);
        string waiting = await fixture.AddAsync("waiting", 2, blocker);

        IReadOnlyList<TrackerTask> readyList = await fixture.Store.ListReadyAsync(None);

        Assert.That(readyList.Any(t => t.Id == waiting), Is.EqualTo(ready));
    }

    [Test]
    public async Task Every_dependency_must_be_resolved()
    {
        using var fixture = new StoreFixture();
        string a = await fixture.AddAsync("a");
        string b = await fixture.AddAsync("b");
        string waiting = await fixture.AddAsync("waiting", 2, a, b);

        await fixture.Store.DoneAsync(a, None);
        Assert.That((await fixture.Store.ListReadyAsync(None)).Select(t => t.Id), Is.EqualTo(new[] { b }));

        await fixture.Store.CancelAsync(b, reason: null, None);
        Assert.That((await fixture.Store.ListReadyAsync(None)).Select(t => t.Id), Is.EqualTo(new[] { waiting }));
    }

    [Test]
    public async Task A_reopened_dependency_blocks_again()
    {
        using var fixture = new StoreFixture();
        string blocker = await fixture.AddAsync("blocker");
        string waiting = await fixture.AddAsync("waiting", 2, blocker);
        await fixture.Store.DoneAsync(blocker, None);

        await fixture.Store.OpenAsync(blocker, None);

        Assert.That((await fixture.Store.ListReadyAsync(None)).Select(t => t.Id), Is.EqualTo(new[] { blocker }));
        Assert.That(async () => await fixture.Store.ClaimAsync(waiting, None), Throws.TypeOf<TaskNotReadyException>());
    }

    [Test]
    public async Task Starting_a_task_that_waits_is_refused_unless_forced()
    {
        using var fixture = new StoreFixture();
        string blocker = await TaskTransitionTests.InStateAsync(fixture, TrackerTaskState.Reviewing);
        string waiting = await fixture.AddAsync("waiting", 2, blocker);

        var error = await Assert.ThrowsAsync<TaskNotReadyException>(async () => await fixture.Store.StartAsync(waiting, force: false, None));
        Assert.That(error!.Message, Is.EqualTo($"cannot start {waiting}: it waits for {blocker} (reviewing)"));
        Assert.That(error.WaitingFor.Select(t => t.Id), Is.EqualTo(new[] { blocker }));
        Assert.That(await fixture.StateOfAsync(waiting), Is.EqualTo(TrackerTaskState.Open));

        await fixture.Store.StartAsync(waiting, force: true, None);
        Assert.That(await fixture.StateOfAsync(waiting), Is.EqualTo(TrackerTaskState.InProgress));
    }

    [Test]
    public async Task A_dependency_can_be_added_later_and_twice_without_harm()
    {
        using var fixture = new StoreFixture();
        string blocker = await fixture.AddAsync("blocker");
        string waiting = await fixture.AddAsync("waiting");

        await fixture.Store.AddDependencyAsync(waiting, blocker, None);
        await fixture.Store.AddDependencyAsync(waiting, blocker, None);

        Assert.That((await fixture.Store.GetAsync(waiting, None)).Dependencies, Is.EqualTo(new[] { blocker }));
        Assert.That((await fixture.Store.ListReadyAsync(None)).Select(t => t.Id), Is.EqualTo(new[] { blocker }));
    }

    [Test]
    public async Task A_dependency_that_closes_a_cycle_is_refused_with_the_path()
    {
        using var fixture = new StoreFixture();
        string a = await fixture.AddAsync("a");
        string b = await fixture.AddAsync("b", 2, a);
        string c = await fixture.AddAsync("c", 2, b);

        var error = await Assert.ThrowsAsync<TaskDependencyCycleException>(async () => await fixture.Store.AddDependencyAsync(a, c, None));

        Assert.That(error!.Message, Is.EqualTo($"{a} cannot wait for {c}: {c} already waits for {a} ({c} -> {b} -> {a}), so that would be a cycle"));
        Assert.That(error.Path, Is.EqualTo(new[] { c, b, a }));
        Assert.That((await fixture.Store.GetAsync(a, None)).Dependencies, Is.Empty);
        Assert.That((await fixture.Store.ListReadyAsync(None)).Select(t => t.Id), Is.EqualTo(new[] { a }));
    }

    [Test]
    public async Task A_two_task_cycle_and_a_self_dependency_are_refused()
    {
        using var fixture = new StoreFixture();
        string a = await fixture.AddAsync("a");
        string b = await fixture.AddAsync("b", 2, a);

        Assert.That(async () => await fixture.Store.AddDependencyAsync(a, b, None), Throws.TypeOf<TaskDependencyCycleException>());
        Assert.That(
            async () => await fixture.Store.AddDependencyAsync(a, a, None),
            Throws.TypeOf<InvalidTaskInputException>().With.Message.EqualTo($"{a} cannot wait for itself"));
    }

    [Test]
    public async Task A_diamond_is_not_a_cycle()
    {
        using var fixture = new StoreFixture();
        string root = await fixture.AddAsync("root");
        string left = await fixture.AddAsync("left", 2, root);
        string right = await fixture.AddAsync("right", 2, root);
        string top = await fixture.AddAsync("top", 2, left);

        await fixture.Store.AddDependencyAsync(top, right, None);

        Assert.That((await fixture.Store.GetAsync(top, None)).Dependencies, Is.EqualTo(new[] { left, right }));
    }

    [Test]
    public async Task Adding_a_dependency_on_an_unknown_task_is_not_found()
    {
        using var fixture = new StoreFixture();
        string a = await fixture.AddAsync("a");

        Assert.That(async () => await fixture.Store.AddDependencyAsync(a, "ts-000000", None), Throws.TypeOf<TaskNotFoundException>());
        Assert.That(async () => await fixture.Store.AddDependencyAsync("ts-000000", a, None), Throws.TypeOf<TaskNotFoundException>());
    }
}
