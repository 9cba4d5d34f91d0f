using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;

namespace Aetherflow.Engine.Tests.Tasks.Builtin;

public sealed class BuiltinTaskStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task A_new_task_is_open_with_everything_it_was_given()
    {
        using var fixture = new StoreFixture();
        string blocker = await fixture.AddAsync("Design schema");

        string id = await fixture.Store.AddAsync(
            new NewTask
            {
                Title = "Implement API",
                Priority = 1,
                Description = "REST endpoints",
                DefinitionOfDone = "tests pass",
                Labels = ["backend", "api", "backend"],
                Dependencies = [blocker],
            },
            None);
        TrackerTaskDetail task = await fixture.Store.GetAsync(id, None);

        Assert.That(id, Does.Match("^ts-[0-9a-f]{6}$"));
        Assert.Multiple(() =>
        {
            Assert.That(task.Id, Is.EqualTo(id));
            Assert.That(task.Title, Is.EqualTo("Implement API"));
            Assert.That(task.State, Is.EqualTo(TrackerTaskState.Open));
            Assert.That(task.Priority, Is.EqualTo(1));
            Assert.That(task.Description, Is.EqualTo("REST endpoints"));
            Assert.That(task.DefinitionOfDone, Is.EqualTo("tests pass"));
            Assert.That(task.Labels, Is.EqualTo(new[] { "api", "backend" }));
            Assert.That(task.Dependencies, Is.EqualTo(new[] { blocker }));
            Assert.That(task.Project, Is.EqualTo("demo"));
            Assert.That(task.Logs, Is.Empty);
        });
    }

    [Test]
    public async Task Defaults_are_priority_2_no_definition_of_done_and_an_empty_description()
    {
        using var fixture = new StoreFixture();

        TrackerTaskDetail task = await fixture.Store.GetAsync(await fixture.AddAsync("Plain"), None);

        Assert.That((task.Priority, task.DefinitionOfDone, task.Description), Is.EqualTo((2, (string?)null, string.Empty)));
    }

    [Test]
    public async Task A_draft_is_never_ready()
    {
        using var fixture = new StoreFixture();
        string draft = await fixture.Store.AddAsync(new NewTask { Title = "Scoping", Draft = true }, None);

        Assert.That(await fixture.StateOfAsync(draft), Is.EqualTo(TrackerTaskState.Draft));
        Assert.That(await fixture.Store.ListReadyAsync(None), Is.Empty);
    }

    [Test]
    public async Task Ready_tasks_come_by_priority_then_age()
    {
        using var fixture = new StoreFixture();
        string low = await fixture.AddAsync("low", priority: 3);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        string firstHigh = await fixture.AddAsync("first high", priority: 1);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        string medium = await fixture.AddAsync("medium");
        string secondHigh = await fixture.AddAsync("second high", priority: 1);

        IReadOnlyList<TrackerTask> ready = await fixture.Store.ListReadyAsync(None);

        Assert.That(ready.Select(t => t.Id), Is.EqualTo(new[] { firstHigh, secondHigh, medium, low }));
        Assert.That(ready[0], Is.EqualTo(new TrackerTask(firstHigh, "first high", 1, TrackerTaskState.Open)));
    }

    [Test]
    public async Task Listing_by_status_returns_only_that_status_in_scheduling_order()
    {
        using var fixture = new StoreFixture();
        string a = await fixture.AddAsync("a", priority: 2);
        string b = await fixture.AddAsync("b", priority: 1);
        string c = await fixture.AddAsync("c");
        await fixture.Store.StartAsync(a, force: false, None);
        await fixture.Store.StartAsync(b, force: false, None);

        IReadOnlyList<TrackerTask> inProgress = await fixture.Store.ListAsync(TrackerTaskState.InProgress, None);
        IReadOnlyList<TrackerTask> open = await fixture.Store.ListAsync(TrackerTaskState.Open, None);

        Assert.That(inProgress.Select(t => t.Id), Is.EqualTo(new[] { b, a }));
        Assert.That(inProgress.Select(t => t.State), Is.All.EqualTo(TrackerTaskState.InProgress));
        Assert.That(open.Select(t => t.Id), Is.EqualTo(new[] { c }));
        Assert.That(await fixture.Store.ListAsync(TrackerTaskState.Blocked, None), Is.Empty);
    }

    [Test]
    public async Task Detail_listing_carries_labels_and_dependencies_and_filters_by_status()
    {
        using var fixture = new StoreFixture();
        string first = await fixture.AddAsync("first");
        string second = await fixture.Store.AddAsync(new NewTask { Title = "second", Labels = ["x"], Dependencies = [first] }, None);
        await fixture.Store.DoneAsync(first, None);

        IReadOnlyList<TrackerTaskDetail> all = await fixture.Store.ListDetailsAsync(null, None);
        IReadOnlyList<TrackerTaskDetail> done = await fixture.Store.ListDetailsAsync(TrackerTaskState.Done, None);

        Assert.That(all.Select(t => t.Id), Is.EqualTo(new[] { first, second }));
        Assert.That(all[1].Labels, Is.EqualTo(new[] { "x" }));
        Assert.That(all[1].Dependencies, Is.EqualTo(new[] { first }));
        Assert.That(done.Select(t => t.Id), Is.EqualTo(new[] { first }));
    }

    [Test]
    public async Task Logs_are_appended_in_order_with_utc_times()
    {
        using var fixture = new StoreFixture();
        string id = await fixture.AddAsync("logged");

        await fixture.Store.AppendLogAsync(id, "first", None);
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        await fixture.Store.AppendLogAsync(id, "second", None);
        await fixture.Store.CancelAsync(id, "not needed", None);

        IReadOnlyList<TaskLogEntry> logs = (await fixture.Store.GetAsync(id, None)).Logs;
        Assert.That(logs.Select(l => l.Message), Is.EqualTo(new[] { "first", "second", "Canceled: not needed" }));
        Assert.That(logs[0].CreatedAt, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.That(logs[1].CreatedAt, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 12, 5, 0, TimeSpan.Zero)));
        Assert.That(logs.Select(l => l.CreatedAt.Offset), Is.All.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task Logs_cannot_be_rewritten_even_with_raw_sql()
    {
        using var fixture = new StoreFixture();
        string id = await fixture.AddAsync("logged");
        await fixture.Store.AppendLogAsync(id, "kept", None);

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM task_logs";

        Assert.That(() => command.ExecuteNonQuery(), Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>().With.Message.Contains("append-only"));
    }

    [Test]
    public async Task Hostile_text_is_stored_literally()
    {
        using var fixture = new StoreFixture();
        const string title = "\u001b]0;pwned\u0007Fix \u001b[31mred\u001b[0m 'quotes' \"and\" ; DROP TABLE tasks; --";

        string id = await fixture.AddAsync(title);
        await fixture.Store.AppendLogAsync(id, title, None);

        TrackerTaskDetail task = await fixture.Store.GetAsync(id, None);
        Assert.That(task.Title, Is.EqualTo(title));
        Assert.That(task.Logs.Single().Message, Is.EqualTo(title));
    }

    [Test]
    public async Task Unknown_ids_are_task_not_found()
    {
        using var fixture = new StoreFixture();
        await fixture.AddAsync("exists");

        Assert.Multiple(() =>
        {
            Assert.That(async () => await fixture.Store.GetAsync("ts-000000", None), Throws.TypeOf<TaskNotFoundException>().With.Property(nameof(TaskNotFoundException.TaskId)).EqualTo("ts-000000"));
            Assert.That(async () => await fixture.Store.ClaimAsync("ts-000000", None), Throws.TypeOf<TaskNotFoundException>());
            Assert.That(async () => await fixture.Store.ReopenAsync("ts-000000", None), Throws.TypeOf<TaskNotFoundException>());
            Assert.That(async () => await fixture.Store.MarkDoneAsync("ts-000000", None), Throws.TypeOf<TaskNotFoundException>());
            Assert.That(async () => await fixture.Store.AppendLogAsync("ts-000000", "x", None), Throws.TypeOf<TaskNotFoundException>());
            Assert.That(async () => await fixture.AddAsync("orphan?", 2, "ts-000000"), Throws.TypeOf<TaskNotFoundException>());
        });
    }

    [Test]
    public async Task A_failed_add_leaves_nothing_behind()
    {
        using var fixture = new StoreFixture();
        string existing = await fixture.AddAsync("exists");

        Assert.That(async () => await fixture.AddAsync("would be orphan", 2, existing, "ts-000000"), Throws.TypeOf<TaskNotFoundException>());

        Assert.That((await fixture.Store.ListDetailsAsync(null, None)).Select(t => t.Title), Is.EqualTo(new[] { "exists" }));
    }

    [TestCase("")]
    [TestCase("../etc")]
    [TestCase("ts 123")]
    [TestCase("--force")]
    public async Task Malformed_ids_are_refused_before_any_lookup(string id)
    {
        using var fixture = new StoreFixture();

        Assert.That(async () => await fixture.Store.GetAsync(id, None), Throws.TypeOf<InvalidTaskInputException>().With.Message.Contains("not a valid task id"));
        Assert.That(async () => await fixture.AddAsync("x", 2, id), Throws.TypeOf<InvalidTaskInputException>());
    }

    [TestCase("")]
    [TestCase("   ")]
    public void A_blank_title_is_refused(string title)
    {
        using var fixture = new StoreFixture();

        Assert.That(async () => await fixture.AddAsync(title), Throws.TypeOf<InvalidTaskInputException>().With.Message.EqualTo("a task needs a title"));
    }

    [Test]
    public void A_malformed_label_is_refused()
    {
        using var fixture = new StoreFixture();

        Assert.That(
            async () => await fixture.Store.AddAsync(new NewTask { Title = "x", Labels = ["two words"] }, None),
            Throws.TypeOf<InvalidTaskInputException>().With.Message.StartsWith("label 'two words' is not valid"));
    }

    [Test]
    public async Task Tasks_persist_across_store_instances()
    {
        using var fixture = new StoreFixture();
        string id = await fixture.AddAsync("persisted", priority: 4);
        await fixture.Store.StartAsync(id, force: false, None);
        await fixture.Store.AppendLogAsync(id, "checkpoint", None);

        BuiltinTaskStore reopened = fixture.Open();
        TrackerTaskDetail task = await reopened.GetAsync(id, None);

        Assert.That((task.Title, task.Priority, task.State), Is.EqualTo(("persisted", 4, TrackerTaskState.InProgress)));
        Assert.That(task.Logs.Single().Message, Is.EqualTo("checkpoint"));
    }

    [Test]
    public async Task Colliding_ids_are_retried()
    {
        using var fixture = new StoreFixture();

        // Two stores whose random sources produce the same sequence: the second one's first id is taken.
        BuiltinTaskStore first = fixture.Open(new Random(7));
        BuiltinTaskStore second = fixture.Open(new Random(7));
        string a = await first.AddAsync(new NewTask { Title = "a" }, None);
        string b = await second.AddAsync(new NewTask { Title = "b" }, None);

        Assert.That(b, Is.Not.EqualTo(a));
        Assert.That((await fixture.Store.ListDetailsAsync(null, None)).Select(t => t.Id), Is.EquivalentTo(new[] { a, b }));
    }
}
