using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;

namespace Aetherflow.Engine.Tests.Tasks.Builtin;

public sealed class TaskTransitionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task A_task_goes_open_in_progress_reviewing_done()
    {
        using var fixture = new StoreFixture();
        string id = await fixture.AddAsync("lifecycle");

        await fixture.Store.StartAsync(id, force: false, None);
        Assert.That(await fixture.StateOfAsync(id), Is.EqualTo(TrackerTaskState.InProgress));
        await fixture.Store.ReviewAsync(id, None);
        Assert.That(await fixture.StateOfAsync(id), Is.EqualTo(TrackerTaskState.Reviewing));
        await fixture.Store.DoneAsync(id, None);
        Assert.That(await fixture.StateOfAsync(id), Is.EqualTo(TrackerTaskState.Done));
    }

    [Test]
    public async Task Open_and_draft_are_allowed_from_every_status()
    {
        using var fixture = new StoreFixture();
        string id = await fixture.AddAsync("bounced");
        await fixture.Store.DoneAsync(id, None);

        await fixture.Store.DraftAsync(id, None);
        Assert.That(await fixture.StateOfAsync(id), Is.EqualTo(TrackerTaskState.Draft));
        await fixture.Store.DraftAsync(id, None);
        await fixture.Store.OpenAsync(id, None);
        Assert.That(await fixture.StateOfAsync(id), Is.EqualTo(TrackerTaskState.Open));
        await fixture.Store.CancelAsync(id, reason: null, None);
        await fixture.Store.ReopenAsync(id, None);
        Assert.That(await fixture.StateOfAsync(id), Is.EqualTo(TrackerTaskState.Open));
    }

    [TestCase(TrackerTaskState.Draft)]
    [TestCase(TrackerTaskState.Open)]
    [TestCase(TrackerTaskState.InProgress)]
    [TestCase(TrackerTaskState.Reviewing)]
    public async Task Done_and_cancel_are_allowed_from_every_non_terminal_status(TrackerTaskState from)
    {
        using var fixture = new StoreFixture();
        string done = await InStateAsync(fixture, from);
        string canceled = await InStateAsync(fixture, from);

        await fixture.Store.DoneAsync(done, None);
        await fixture.Store.CancelAsync(canceled, "no longer needed", None);

        Assert.That(await fixture.StateOfAsync(done), Is.EqualTo(TrackerTaskState.Done));
        Assert.That(await fixture.StateOfAsync(canceled), Is.EqualTo(TrackerTaskState.Canceled));
    }

    [TestCase(TrackerTaskState.Draft, "cannot start {0}: it is draft; start is allowed only from open")]
    [TestCase(TrackerTaskState.InProgress, "cannot start {0}: it is already in_progress")]
    [TestCase(TrackerTaskState.Reviewing, "cannot start {0}: it is reviewing; start is allowed only from open")]
    [TestCase(TrackerTaskState.Done, "cannot start {0}: it is done; start is allowed only from open (reopen it first with 'aetherflow task open {0}')")]
    public async Task Start_is_only_allowed_from_open(TrackerTaskState from, string message)
    {
        using var fixture = new StoreFixture();
        string id = await InStateAsync(fixture, from);

        var error = await Assert.ThrowsAsync<InvalidTaskTransitionException>(async () => await fixture.Store.StartAsync(id, force: true, None));

        Assert.That(error!.Message, Is.EqualTo(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, id)));
        Assert.That((error.TaskId, error.Action, error.Current), Is.EqualTo((id, TaskAction.Start, from)));
        Assert.That(await fixture.StateOfAsync(id), Is.EqualTo(from));
    }

    [TestCase(TrackerTaskState.Open, "cannot review {0}: it is open; review is allowed only from in_progress")]
    [TestCase(TrackerTaskState.Draft, "cannot review {0}: it is draft; review is allowed only from in_progress")]
    [TestCase(TrackerTaskState.Reviewing, "cannot review {0}: it is already reviewing")]
    public async Task Review_is_only_allowed_from_in_progress(TrackerTaskState from, string message)
    {
        using var fixture = new StoreFixture();
        string id = await InStateAsync(fixture, from);

        var error = await Assert.ThrowsAsync<InvalidTaskTransitionException>(async () => await fixture.Store.ReviewAsync(id, None));

        Assert.That(error!.Message, Is.EqualTo(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, id)));
    }

    [Test]
    public async Task Done_and_cancel_are_refused_on_terminal_tasks_with_what_is_allowed()
    {
        using var fixture = new StoreFixture();
        string done = await InStateAsync(fixture, TrackerTaskState.Done);
        string canceled = await InStateAsync(fixture, TrackerTaskState.Canceled);

        var doneTwice = await Assert.ThrowsAsync<InvalidTaskTransitionException>(async () => await fixture.Store.DoneAsync(done, None));
        var doneCanceled = await Assert.ThrowsAsync<InvalidTaskTransitionException>(async () => await fixture.Store.DoneAsync(canceled, None));
        var cancelDone = await Assert.ThrowsAsync<InvalidTaskTransitionException>(async () => await fixture.Store.CancelAsync(done, "why", None));

        Assert.That(doneTwice!.Message, Is.EqualTo($"cannot mark {done} done: it is already done"));
        Assert.That(doneCanceled!.Message, Is.EqualTo(
            $"cannot mark {canceled} done: it is canceled; done is allowed from draft, open, in_progress or reviewing (reopen it first with 'aetherflow task open {canceled}')"));
        Assert.That(cancelDone!.Message, Does.StartWith($"cannot cancel {done}: it is done; cancel is allowed from draft, open, in_progress or reviewing"));
        Assert.That((await fixture.Store.GetAsync(done, None)).Logs, Is.Empty, "a refused cancel logs nothing");
    }

    [Test]
    public async Task The_reconciler_may_mark_an_already_done_task_done_but_not_a_canceled_one()
    {
        using var fixture = new StoreFixture();
        string done = await InStateAsync(fixture, TrackerTaskState.Done);
        string reviewing = await InStateAsync(fixture, TrackerTaskState.Reviewing);
        string canceled = await InStateAsync(fixture, TrackerTaskState.Canceled);

        await fixture.Store.MarkDoneAsync(done, None);
        await fixture.Store.MarkDoneAsync(reviewing, None);

        Assert.That(await fixture.StateOfAsync(reviewing), Is.EqualTo(TrackerTaskState.Done));
        Assert.That(async () => await fixture.Store.MarkDoneAsync(canceled, None), Throws.TypeOf<InvalidTaskTransitionException>());
    }

    [Test]
    public void The_transition_table_matches_the_contract()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TaskTransitions.AllowedFrom(TaskAction.Start), Is.EqualTo(new[] { TrackerTaskState.Open }));
            Assert.That(TaskTransitions.AllowedFrom(TaskAction.Review), Is.EqualTo(new[] { TrackerTaskState.InProgress }));
            Assert.That(TaskTransitions.AllowedFrom(TaskAction.Done), Has.No.Member(TrackerTaskState.Done).And.No.Member(TrackerTaskState.Canceled));
            Assert.That(TaskTransitions.AllowedFrom(TaskAction.Open), Is.EquivalentTo(TaskStatusNames.All));
            Assert.That(TaskTransitions.AllowedFrom(TaskAction.Draft), Is.EquivalentTo(TaskStatusNames.All));
            Assert.That(TaskStatusNames.All, Has.No.Member(TrackerTaskState.Blocked));
            Assert.That(TaskStatusNames.TryParse("blocked", out _), Is.False);
        });
    }

    /// <summary>Adds a task and moves it to <paramref name="state"/> through the store's own transitions.</summary>
    internal static async Task<string> InStateAsync(StoreFixture fixture, TrackerTaskState state)
    {
        string id = await fixture.AddAsync("task in " + state);
        switch (state)
        {
            case TrackerTaskState.Open:
                break;
            case TrackerTaskState.Draft:
                await fixture.Store.DraftAsync(id, None);
                break;
            case TrackerTaskState.InProgress:
                await fixture.Store.StartAsync(id, force: false, None);
                break;
            case TrackerTaskState.Reviewing:
                await fixture.Store.StartAsync(id, force: false, None);
                await fixture.Store.ReviewAsync(id, None);
                break;
            case TrackerTaskState.Done:
                await fixture.Store.DoneAsync(id, None);
                break;
            case TrackerTaskState.Canceled:
                await fixture.Store.CancelAsync(id, reason: null, None);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }

        return id;
    }
}
