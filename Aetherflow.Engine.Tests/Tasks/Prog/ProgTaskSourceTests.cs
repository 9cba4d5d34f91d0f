using System.Globalization;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Prog;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tests.Tasks.Prog;

/// <summary>The prog task source against the prog stand-in, as real child processes: what it reads and what it changes.</summary>
public sealed class ProgTaskSourceTests : ProgStandInFixture
{
    [Test]
    public async Task Ready_lists_open_tasks_whose_dependencies_are_done_in_priority_order()
    {
        string schema = await Prog.AddAsync("Design schema", "demo", "--priority", "1", "--dod", "schema.sql committed");
        string api = await Prog.AddAsync("Implement API", "demo", "--priority", "2", "-l", "backend");
        string docs = await Prog.AddAsync("Write docs", "demo", "--priority", "3");
        await Prog.AddAsync("Other project", "other", "--priority", "1");
        await Prog.RunOkAsync("blocks", schema, api);
        var source = new ProgTaskSource(Prog.Options());

        IReadOnlyList<TrackerTask> before = await source.ListReadyAsync(CancellationToken.None);
        await source.MarkDoneAsync(schema, CancellationToken.None);
        IReadOnlyList<TrackerTask> after = await source.ListReadyAsync(CancellationToken.None);

        Assert.That(before, Is.EqualTo(new[]
        {
            new TrackerTask(schema, "Design schema", 1, TrackerTaskState.Open),
            new TrackerTask(docs, "Write docs", 3, TrackerTaskState.Open),
        }));
        Assert.That(after, Is.EqualTo(new[]
        {
            new TrackerTask(api, "Implement API", 2, TrackerTaskState.Open),
            new TrackerTask(docs, "Write docs", 3, TrackerTaskState.Open),
        }));
        Assert.That(source.SkippedEntryCount, Is.Zero);
    }

    [Test]
    public async Task An_empty_ready_list_is_empty()
    {
        var source = new ProgTaskSource(Prog.Options());

        Assert.That(await source.ListReadyAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Get_reads_every_field_of_show()
    {
        string epic = await Prog.AddAsync("Auth", "demo", "-e");
        string blocker = await Prog.AddAsync("Schema", "demo");
        string task = await Prog.AddAsync(
            "Login form", "demo", "--priority", "1", "-d", "Build the form", "--dod", "form submits", "-l", "ui", "-l", "auth",
            "--parent", epic);
        await Prog.RunOkAsync("blocks", blocker, task);
        await Prog.RunOkAsync("start", task);
        await Prog.RunOkAsync("log", task, "first");
        await Prog.RunOkAsync("log", task, "second");
        var source = new ProgTaskSource(Prog.Options());

        TrackerTaskDetail detail = await source.GetAsync(task, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(detail.Id, Is.EqualTo(task));
            Assert.That(detail.Title, Is.EqualTo("Login form"));
            Assert.That(detail.Type, Is.EqualTo("task"));
            Assert.That(detail.State, Is.EqualTo(TrackerTaskState.InProgress));
            Assert.That(detail.Priority, Is.EqualTo(1));
            Assert.That(detail.Project, Is.EqualTo("demo"));
            Assert.That(detail.Parent, Is.EqualTo(epic));
            Assert.That(detail.Description, Is.EqualTo("Build the form"));
            Assert.That(detail.DefinitionOfDone, Is.EqualTo("form submits"));
            Assert.That(detail.Labels, Is.EqualTo(new[] { "auth", "ui" }));
            Assert.That(detail.Dependencies, Is.EqualTo(new[] { blocker }));
            Assert.That(detail.Logs.Select(l => l.Message), Is.EqualTo(new[] { "first", "second" }), "oldest first");
            Assert.That(detail.Logs[0].CreatedAt.Offset, Is.EqualTo(TimeSpan.Zero), "log times are UTC");
            Assert.That(detail.Logs[0].CreatedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(5)));
        });
    }

    [Test]
    public async Task A_task_without_parent_or_definition_of_done_has_nulls_and_empty_lists()
    {
        string task = await Prog.AddAsync("Plain", "demo");
        var source = new ProgTaskSource(Prog.Options());

        TrackerTaskDetail detail = await source.GetAsync(task, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(detail.Parent, Is.Null);
            Assert.That(detail.DefinitionOfDone, Is.Null);
            Assert.That(detail.Description, Is.Empty);
            Assert.That(detail.Labels, Is.Empty);
            Assert.That(detail.Dependencies, Is.Empty);
            Assert.That(detail.Logs, Is.Empty);
            Assert.That(detail.State, Is.EqualTo(TrackerTaskState.Open));
        });
    }

    [Test]
    public async Task Claiming_moves_a_task_to_in_progress_and_out_of_the_ready_list()
    {
        string task = await Prog.AddAsync("Claim me", "demo");
        var source = new ProgTaskSource(Prog.Options());

        await source.ClaimAsync(task, CancellationToken.None);

        Assert.That(await source.ListReadyAsync(CancellationToken.None), Is.Empty);
        Assert.That(
            await source.ListAsync(TrackerTaskState.InProgress, CancellationToken.None),
            Is.EqualTo(new[] { new TrackerTask(task, "Claim me", 2, TrackerTaskState.InProgress) }));
        Assert.That((await source.GetAsync(task, CancellationToken.None)).State, Is.EqualTo(TrackerTaskState.InProgress));
    }

    [Test]
    public async Task Listing_by_status_returns_only_tasks_of_the_project_in_that_status()
    {
        string reviewing = await Prog.AddAsync("Reviewing here", "demo");
        await Prog.AddAsync("Open here", "demo");
        string elsewhere = await Prog.AddAsync("Reviewing elsewhere", "other");
        string epic = await Prog.AddAsync("Epic", "demo", "-e");
        string child = await Prog.AddAsync("Child", "demo", "--parent", epic);
        foreach (string id in new[] { reviewing, elsewhere, child })
        {
            await Prog.RunOkAsync("start", id);
        }

        await Prog.RunOkAsync("review", reviewing);
        await Prog.RunOkAsync("review", elsewhere);
        var source = new ProgTaskSource(Prog.Options());

        IReadOnlyList<TrackerTask> inReview = await source.ListAsync(TrackerTaskState.Reviewing, CancellationToken.None);
        IReadOnlyList<TrackerTask> inProgress = await source.ListAsync(TrackerTaskState.InProgress, CancellationToken.None);

        Assert.That(inReview, Is.EqualTo(new[] { new TrackerTask(reviewing, "Reviewing here", 2, TrackerTaskState.Reviewing) }));
        Assert.That(inProgress.Select(t => t.Id), Is.EqualTo(new[] { child }), "the epic (derived in_progress) is not a task");
    }

    [Test]
    public async Task Marking_done_completes_the_task()
    {
        string task = await Prog.AddAsync("Finish me", "demo");
        var source = new ProgTaskSource(Prog.Options());
        await source.ClaimAsync(task, CancellationToken.None);

        await source.MarkDoneAsync(task, CancellationToken.None);

        Assert.That((await source.GetAsync(task, CancellationToken.None)).State, Is.EqualTo(TrackerTaskState.Done));
        Assert.That((await source.ListAsync(TrackerTaskState.Done, CancellationToken.None)).Select(t => t.Id), Is.EqualTo(new[] { task }));
    }

    [Test]
    public async Task Reopening_puts_a_claimed_task_back_in_the_ready_list()
    {
        string task = await Prog.AddAsync("Try again", "demo");
        var source = new ProgTaskSource(Prog.Options());
        await source.ClaimAsync(task, CancellationToken.None);

        await source.ReopenAsync(task, CancellationToken.None);

        Assert.That((await source.ListReadyAsync(CancellationToken.None)).Select(t => t.Id), Is.EqualTo(new[] { task }));
        Assert.That((await source.GetAsync(task, CancellationToken.None)).State, Is.EqualTo(TrackerTaskState.Open));
    }

    [TestCase("checkpoint: tests   pass, \"quoted\" and 'single'")]
    [TestCase("template {{task_id}} and {{ .Title }} stay as they are")]
    [TestCase("--force looks like a flag")]
    [TestCase("-p other")]
    [TestCase("line one\nline two\ttabbed  ")]
    [TestCase("$(rm -rf ~) `id` ; echo pwned | cat > /tmp/x")]
    [TestCase("unicode: é ✓ 日本 \u001b[31mred\u001b[0m")]
    public async Task A_log_message_is_stored_exactly(string message)
    {
        string task = await Prog.AddAsync("Log me", "demo");
        var source = new ProgTaskSource(Prog.Options());

        await source.AppendLogAsync(task, message, CancellationToken.None);

        TrackerTaskDetail detail = await source.GetAsync(task, CancellationToken.None);
        Assert.That(detail.Logs.Select(l => l.Message), Is.EqualTo(new[] { message }));
    }

    [Test]
    public async Task Hostile_titles_come_back_literally()
    {
        const string title = "\u001b]0;owned\u0007 $(rm -rf /) {{task_id}} `id` <b>&amp;</b> \"q\"  two  spaces";
        string task = await Prog.AddAsync(title, "demo");
        var source = new ProgTaskSource(Prog.Options());

        IReadOnlyList<TrackerTask> ready = await source.ListReadyAsync(CancellationToken.None);
        TrackerTaskDetail detail = await source.GetAsync(task, CancellationToken.None);

        Assert.That(ready.Single().Title, Is.EqualTo(title));
        Assert.That(detail.Title, Is.EqualTo(title));
    }

    [Test]
    public async Task Invalid_ids_in_prog_output_are_skipped_counted_and_logged()
    {
        string good = await Prog.AddAsync("Good", "demo");
        Prog.Variables["PROG_STANDIN_ID"] = "--exec=evil";
        await Prog.AddAsync("Evil", "demo");
        Prog.Variables["PROG_STANDIN_ID"] = "ts-1;rm -rf";
        await Prog.AddAsync("Also evil", "demo");
        Prog.Variables.Remove("PROG_STANDIN_ID");
        await Prog.RunOkAsync("start", "--", "--exec=evil");
        await Prog.RunOkAsync("start", good);
        var logger = new RecordingLogger();
        var source = new ProgTaskSource(Prog.Options() with { Logger = logger });

        IReadOnlyList<TrackerTask> ready = await source.ListReadyAsync(CancellationToken.None);
        IReadOnlyList<TrackerTask> inProgress = await source.ListAsync(TrackerTaskState.InProgress, CancellationToken.None);

        Assert.That(ready, Is.Empty, "only the invalid 'ts-1;rm -rf' was still open");
        Assert.That(inProgress.Select(t => t.Id), Is.EqualTo(new[] { good }));
        Assert.That(source.SkippedEntryCount, Is.EqualTo(2));
        string[] warnings = logger.MessagesAt(LogLevel.Warning).ToArray();
        Assert.That(warnings, Has.Length.EqualTo(2));
        Assert.That(warnings[0], Does.Contain("prog ready -p demo --json").And.Contain("invalid task id 'ts-1;rm -rf'"));
        Assert.That(warnings[1], Does.Contain("invalid task id '--exec=evil'"));
    }

    [Test]
    public async Task Invalid_dependency_ids_of_a_task_are_skipped_and_counted()
    {
        Prog.Variables["PROG_STANDIN_ID"] = "bad id";
        await Prog.AddAsync("Bad blocker", "demo");
        Prog.Variables.Remove("PROG_STANDIN_ID");
        string task = await Prog.AddAsync("Blocked", "demo");
        string good = await Prog.AddAsync("Good blocker", "demo");
        await Prog.RunOkAsync("blocks", "bad id", task);
        await Prog.RunOkAsync("blocks", good, task);
        var source = new ProgTaskSource(Prog.Options());

        TrackerTaskDetail detail = await source.GetAsync(task, CancellationToken.None);

        Assert.That(detail.Dependencies, Is.EqualTo(new[] { good }));
        Assert.That(source.SkippedEntryCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Two_databases_do_not_see_each_other()
    {
        var other = new ProgStandIn(Home, "other.db");
        await other.InitAsync();
        string mine = await Prog.AddAsync("Mine", "demo");
        string theirs = await other.AddAsync("Theirs", "demo");
        var source = new ProgTaskSource(Prog.Options());
        var otherSource = new ProgTaskSource(other.Options());

        await source.ClaimAsync(mine, CancellationToken.None);

        Assert.That((await source.ListAsync(TrackerTaskState.InProgress, CancellationToken.None)).Select(t => t.Id), Is.EqualTo(new[] { mine }));
        Assert.That((await otherSource.ListReadyAsync(CancellationToken.None)).Select(t => t.Id), Is.EqualTo(new[] { theirs }));
        await Assert.ThrowsAsync<TaskNotFoundException>(() => otherSource.GetAsync(mine, CancellationToken.None));
        Assert.That(source.ChangeSignalPath, Is.EqualTo(Prog.DatabasePath));
        Assert.That(otherSource.ChangeSignalPath, Is.EqualTo(other.DatabasePath));
    }

    [Test]
    public async Task Without_PROG_DB_the_database_in_HOME_is_used_and_watched()
    {
        var variables = new Dictionary<string, string>(Prog.Variables);
        variables.Remove("PROG_DB");
        var inHome = new ProgTaskSource(Prog.Options() with { Environment = new HostEnvironment(variables) });
        var homeProg = new ProgStandIn(Home);
        homeProg.Variables.Remove("PROG_DB");
        await homeProg.InitAsync();
        string task = await homeProg.AddAsync("In Home", "demo");

        IReadOnlyList<TrackerTask> ready = await inHome.ListReadyAsync(CancellationToken.None);

        Assert.That(ready.Select(t => t.Id), Is.EqualTo(new[] { task }));
        Assert.That(inHome.ChangeSignalPath, Is.EqualTo(Path.Combine(Home.Home, ".prog", "prog.db")));
        Assert.That(File.Exists(inHome.ChangeSignalPath), Is.True);
        Assert.That(inHome.Name, Is.EqualTo("prog"));
    }

    [Test]
    public async Task Concurrent_calls_run_one_prog_process_at_a_time()
    {
        string trace = Path.Combine(Home.Root, "trace");
        Prog.Variables["PROG_STANDIN_TRACE"] = trace;
        Prog.Variables["PROG_STANDIN_DELAY_SECONDS"] = "0.05";
        string[] tasks = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Prog.AddAsync($"Task {i}", "demo")));
        File.Delete(trace);
        var source = new ProgTaskSource(Prog.Options());

        await Task.WhenAll(tasks.Select(id => source.ClaimAsync(id, CancellationToken.None))
            .Concat(Enumerable.Range(0, 4).Select(_ => source.ListReadyAsync(CancellationToken.None))));

        var spans = File.ReadAllLines(trace).Select(l => l.Split(' ')).GroupBy(p => p[1])
            .Select(g => (Start: long.Parse(g.Single(p => p[0] == "start")[2], CultureInfo.InvariantCulture), End: long.Parse(g.Single(p => p[0] == "end")[2], CultureInfo.InvariantCulture)))
            .OrderBy(s => s.Start).ToArray();
        Assert.That(spans, Has.Length.EqualTo(8));
        for (int i = 1; i < spans.Length; i++)
        {
            Assert.That(spans[i].Start, Is.GreaterThanOrEqualTo(spans[i - 1].End), $"call {i} overlapped call {i - 1}");
        }

        Assert.That(await source.ListAsync(TrackerTaskState.InProgress, CancellationToken.None), Has.Count.EqualTo(4));
    }

    [Test]
    public void Options_come_from_the_engine_configuration()
    {
        var config = RunningEngine.LoadConfig(Home, "cfgproj", new() { ["prog_bin"] = "/opt/prog/bin/prog", ["task_source"] = "prog" });
        var engineOptions = new EngineOptions { Environment = Prog.Environment };

        ProgOptions options = ProgOptions.From(config, engineOptions);

        Assert.That(options.Project, Is.EqualTo("cfgproj"));
        Assert.That(options.Executable, Is.EqualTo("/opt/prog/bin/prog"));
        Assert.That(options.Environment, Is.SameAs(engineOptions.Environment));
        Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
    }
}
