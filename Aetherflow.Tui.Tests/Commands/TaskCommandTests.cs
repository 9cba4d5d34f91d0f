using System.Text.Json.Nodes;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

public sealed class TaskCommandTests
{
    [Test]
    public async Task Add_prints_only_the_new_id_and_list_shows_a_table_by_priority()
    {
        using var home = new TestHome();

        string design = await AddAsync(home, "Design", "schema", "--priority", "1");
        string api = await AddAsync(home, "Implement API", "-l", "backend");
        string docs = await AddAsync(home, "Write docs", "--priority", "3");
        var (code, output, error) = await RunAsync(home, "task", "list");

        Assert.That(design, Does.Match("^ts-[0-9a-f]{6}$"));
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Is.EqualTo(
            "ID           STATUS       PRI  TITLE\n" +
            $"{design}    open         1    Design schema\n" +
            $"{api}    open         2    [backend] Implement API\n" +
            $"{docs}    open         3    Write docs\n"));
    }

    [Test]
    public async Task List_filters_by_status_and_refuses_an_unknown_one()
    {
        using var home = new TestHome();
        string a = await AddAsync(home, "a");
        await AddAsync(home, "b");
        await RunAsync(home, "task", "start", a);

        var (_, output, _) = await RunAsync(home, "task", "list", "--status", "in_progress");
        var (code, stdout, error) = await RunAsync(home, "task", "list", "--status", "blocked");

        Assert.That(output, Is.EqualTo($"ID           STATUS       PRI  TITLE\n{a}    in_progress  2    a\n"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(error, Is.EqualTo(
            "aetherflow: invalid status 'blocked' (valid: draft, open, in_progress, reviewing, done, canceled); see 'aetherflow task list --help'\n"));
    }

    [Test]
    public async Task Empty_lists_say_so()
    {
        using var home = new TestHome();

        Assert.That((await RunAsync(home, "task", "list")).Output, Is.EqualTo("No tasks\n"));
        Assert.That((await RunAsync(home, "task", "ready")).Output, Is.EqualTo("No ready tasks\n"));
        Assert.That((await RunAsync(home, "task", "list", "--json")).Output, Is.EqualTo("[]\n"));
        Assert.That((await RunAsync(home, "task", "ready", "--json")).Output, Is.EqualTo("[]\n"));
        Assert.That((await RunAsync(home, "task", "context")).Output, Is.EqualTo("No learnings found\n"));
        Assert.That((await RunAsync(home, "task", "context", "--json")).Output, Is.EqualTo("[]\n"));
    }

    [Test]
    public async Task List_json_has_every_field_in_snake_case()
    {
        using var home = new TestHome();
        string blocker = await AddAsync(home, "blocker");
        string id = await AddAsync(home, "Full", "--priority", "4", "--dod", "tests pass", "-d", "the description", "-l", "x", "--label", "y", "--after", blocker);

        var (code, output, _) = await RunAsync(home, "task", "list", "--json");

        Assert.That(code, Is.Zero);
        JsonNode task = JsonNode.Parse(output)!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!;
        Assert.That(task.ToJsonString(), Is.EqualTo(new JsonObject
        {
            ["id"] = id,
            ["title"] = "Full",
            ["status"] = "open",
            ["priority"] = 4,
            ["project"] = "demo",
            ["description"] = "the description",
            ["definition_of_done"] = "tests pass",
            ["labels"] = new JsonArray("x", "y"),
            ["dependencies"] = new JsonArray(blocker),
        }.ToJsonString()));
    }

    [Test]
    public async Task Ready_leaves_out_drafts_and_tasks_that_wait_until_their_dependency_is_done()
    {
        using var home = new TestHome();
        string schema = await AddAsync(home, "Design schema", "--priority", "1");
        string api = await AddAsync(home, "Implement API", "--after", schema);
        await AddAsync(home, "Scoping", "--draft");

        var (_, before, _) = await RunAsync(home, "task", "ready");
        await RunAsync(home, "task", "start", schema);
        await RunAsync(home, "task", "review", schema);
        var (_, whileReviewing, _) = await RunAsync(home, "task", "ready", "--json");
        await RunAsync(home, "task", "done", schema);
        var (_, after, _) = await RunAsync(home, "task", "ready", "--json");

        Assert.That(before, Is.EqualTo($"ID           PRI  TITLE\n{schema}    1    Design schema\n"));
        Assert.That(whileReviewing, Is.EqualTo("[]\n"), "reviewing does not resolve a dependency");
        JsonArray ready = JsonNode.Parse(after)!.AsArray();
        Assert.That(ready.Select(t => t!["id"]!.GetValue<string>()), Is.EqualTo(new[] { api }));
        Assert.That(ready[0]!["dependencies"]!.AsArray().Select(d => d!.GetValue<string>()), Is.EqualTo(new[] { schema }));
    }

    [Test]
    public async Task Show_prints_the_task_in_sections()
    {
        using var home = new TestHome();
        string schema = await AddAsync(home, "Design schema");
        string id = await AddAsync(home, "Implement API", "--priority", "1", "-d", "REST endpoints\nwith JSON", "--dod", "tests pass", "-l", "backend", "--after", schema);
        await RunAsync(home, "task", "log", id, "Drafted", "the", "routes");

        var (code, output, _) = await RunAsync(home, "task", "show", id);

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Match(
            "^" +
            $"ID:          {id}\n" +
            "Title:       Implement API\n" +
            "Status:      open\n" +
            "Priority:    1\n" +
            "Project:     demo\n" +
            "Labels:      backend\n" +
            "\nDescription:\nREST endpoints\nwith JSON\n" +
            "\nDefinition of Done:\ntests pass\n" +
            $"\nDependencies:\n  - {schema}    open         Design schema\n" +
            @"\nLogs:\n  \[\d{4}-\d\d-\d\d \d\d:\d\d\] Drafted the routes\n" +
            "$"));
    }

    [Test]
    public async Task Show_json_has_the_log_with_utc_times()
    {
        using var home = new TestHome();
        string id = await AddAsync(home, "Logged");
        await RunAsync(home, "task", "log", id, "first");
        await RunAsync(home, "task", "cancel", id, "not", "needed");

        var (code, output, _) = await RunAsync(home, "task", "show", id, "--json");

        Assert.That(code, Is.Zero);
        JsonNode task = JsonNode.Parse(output)!;
        Assert.That(task["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(task["definition_of_done"], Is.Null);
        JsonArray logs = task["logs"]!.AsArray();
        Assert.That(logs.Select(l => l!["message"]!.GetValue<string>()), Is.EqualTo(new[] { "first", "Canceled: not needed" }));
        Assert.That(logs[0]!["created_at"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"));
    }

    [Test]
    public async Task Every_status_change_says_what_it_did()
    {
        using var home = new TestHome();
        string id = await AddAsync(home, "moving");
        string other = await AddAsync(home, "other");

        string[] outputs =
        [
            (await RunAsync(home, "task", "start", id)).Output,
            (await RunAsync(home, "task", "review", id)).Output,
            (await RunAsync(home, "task", "done", id)).Output,
            (await RunAsync(home, "task", "open", id)).Output,
            (await RunAsync(home, "task", "draft", id)).Output,
            (await RunAsync(home, "task", "cancel", id)).Output,
            (await RunAsync(home, "task", "cancel", other, "superseded by", id)).Output,
            (await RunAsync(home, "task", "log", other, "a note")).Output,
        ];

        Assert.That(outputs, Is.EqualTo(new[]
        {
            $"Started {id}\n", $"Marked {id} as reviewing\n", $"Completed {id}\n", $"Reopened {id}\n", $"Moved {id} to draft\n",
            $"Canceled {id}\n", $"Canceled {other}: superseded by {id}\n", $"Logged to {other}\n",
        }));
        var (_, list, _) = await RunAsync(home, "task", "list", "--json");
        Assert.That(JsonNode.Parse(list)!.AsArray().Select(t => t!["status"]!.GetValue<string>()), Is.All.EqualTo("canceled"));
    }

    [Test]
    public async Task An_invalid_transition_fails_with_the_current_status_and_what_is_allowed()
    {
        using var home = new TestHome();
        string id = await AddAsync(home, "not started");

        var (code, output, error) = await RunAsync(home, "task", "review", id);
        await RunAsync(home, "task", "done", id);
        var (doneCode, _, doneError) = await RunAsync(home, "task", "start", id);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"aetherflow: cannot review {id}: it is open; review is allowed only from in_progress\n"));
        Assert.That(doneCode, Is.EqualTo(1));
        Assert.That(doneError, Is.EqualTo($"aetherflow: cannot start {id}: it is done; start is allowed only from open (reopen it first with 'aetherflow task open {id}')\n"));
    }

    [Test]
    public async Task Starting_a_task_that_waits_needs_force()
    {
        using var home = new TestHome();
        string blocker = await AddAsync(home, "blocker");
        string waiting = await AddAsync(home, "waiting", "--after", blocker);

        var (code, _, error) = await RunAsync(home, "task", "start", waiting);
        var (forced, output, _) = await RunAsync(home, "task", "start", waiting, "--force");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo($"aetherflow: cannot start {waiting}: it waits for {blocker} (open); finish those first, or use --force\n"));
        Assert.That((forced, output), Is.EqualTo((0, $"Started {waiting}\n")));
    }

    [Test]
    public async Task A_second_start_of_the_same_task_loses()
    {
        using var home = new TestHome();
        string id = await AddAsync(home, "contended");

        var first = await RunAsync(home, "task", "start", id);
        var second = await RunAsync(home, "task", "start", id);

        Assert.That(first.Code, Is.Zero);
        Assert.That(second.Code, Is.EqualTo(1));
        Assert.That(second.Error, Is.EqualTo($"aetherflow: cannot start {id}: it is already in_progress\n"));
    }

    [TestCase("show")]
    [TestCase("start")]
    [TestCase("review")]
    [TestCase("done")]
    [TestCase("open")]
    [TestCase("draft")]
    [TestCase("cancel")]
    public async Task An_unknown_id_fails_with_exit_code_1_and_a_hint(string subcommand)
    {
        using var home = new TestHome();

        var (code, output, error) = await RunAsync(home, "task", subcommand, "ts-000000");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo("aetherflow: task ts-000000 not found; 'aetherflow task list' shows the ids\n"));
    }

    [Test]
    public async Task Logging_to_an_unknown_id_fails_the_same_way()
    {
        using var home = new TestHome();

        var (code, _, error) = await RunAsync(home, "task", "log", "ts-000000", "hello");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo("aetherflow: task ts-000000 not found; 'aetherflow task list' shows the ids\n"));
    }

    [Test]
    public async Task A_malformed_id_is_a_usage_error()
    {
        using var home = new TestHome();

        var (code, _, error) = await RunAsync(home, "task", "show", "../../etc/passwd");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Is.EqualTo("aetherflow: '../../etc/passwd' is not a valid task id (like ts-1a2b3c); 'aetherflow task list' shows the ids; see 'aetherflow task show --help'\n"));
    }

    [TestCase("abc", "--priority must be a whole number from 0 to 99, got 'abc'")]
    [TestCase("100", "--priority must be a whole number from 0 to 99, got '100'")]
    [TestCase("1.5", "--priority must be a whole number from 0 to 99, got '1.5'")]
    public async Task A_bad_priority_is_a_usage_error_and_adds_nothing(string priority, string message)
    {
        using var home = new TestHome();

        var (code, output, error) = await RunAsync(home, "task", "add", "x", "--priority", priority);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"aetherflow: {message}; see 'aetherflow task add --help'\n"));
        Assert.That((await RunAsync(home, "task", "list")).Output, Is.EqualTo("No tasks\n"));
    }

    [TestCase(new[] { "task", "add" }, "Required argument 'title' missing for command: 'add'; see 'aetherflow task add --help'")]
    [TestCase(new[] { "task", "add", "x", "--priority" }, "Required argument missing for option: '--priority'; see 'aetherflow task add --help'")]
    [TestCase(new[] { "task", "add", "--prio", "1", "x" }, "unknown option '--prio' (text that starts with '-' goes after '--'); see 'aetherflow task add --help'")]
    [TestCase(new[] { "task", "show", "a", "b" }, "unexpected argument 'b' (quote text that has spaces); see 'aetherflow task show --help'")]
    [TestCase(new[] { "task", "show" }, "Required argument 'id' missing for command: 'show'; see 'aetherflow task show --help'")]
    [TestCase(new[] { "task", "bogus" }, "unknown subcommand 'bogus'; see 'aetherflow task --help'")]
    [TestCase(new[] { "task" }, "'aetherflow task' needs a subcommand: add, list, ready, show, start, log, review, done, open, draft, cancel, after, learn, context; see 'aetherflow task --help'")]
    [TestCase(new[] { "task", "learn", "a summary" }, "a learning needs at least one concept (--concept <name>); see 'aetherflow task learn --help'")]
    public async Task Usage_errors_are_one_line_with_exit_code_2(string[] args, string message)
    {
        using var home = new TestHome();

        var (code, output, error) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, args);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"aetherflow: {message}\n"));
    }

    [Test]
    public async Task Text_starting_with_a_dash_or_an_at_sign_is_taken_literally()
    {
        using var home = new TestHome();

        string dashed = await AddAsync(home, "--", "-x", "flag", "handling");
        string mention = await AddAsync(home, "@alice", "review");

        var (_, output, _) = await RunAsync(home, "task", "list", "--json");
        JsonArray tasks = JsonNode.Parse(output)!.AsArray();
        Assert.That(tasks.Single(t => t!["id"]!.GetValue<string>() == dashed)!["title"]!.GetValue<string>(), Is.EqualTo("-x flag handling"));
        Assert.That(tasks.Single(t => t!["id"]!.GetValue<string>() == mention)!["title"]!.GetValue<string>(), Is.EqualTo("@alice review"));
    }

    [Test]
    public async Task A_bad_dependency_fails_the_add_and_leaves_no_orphan()
    {
        using var home = new TestHome();

        var (code, output, error) = await RunAsync(home, "task", "add", "orphan?", "--after", "ts-000000");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo("aetherflow: task ts-000000 not found; 'aetherflow task list' shows the ids\n"));
        Assert.That((await RunAsync(home, "task", "list")).Output, Is.EqualTo("No tasks\n"));
    }

    [Test]
    public async Task After_adds_a_dependency_and_refuses_a_cycle()
    {
        using var home = new TestHome();
        string a = await AddAsync(home, "a");
        string b = await AddAsync(home, "b");

        var (code, output, _) = await RunAsync(home, "task", "after", b, a);
        var (cycle, _, error) = await RunAsync(home, "task", "after", a, b);

        Assert.That((code, output), Is.EqualTo((0, $"{b} now waits for {a}\n")));
        Assert.That(cycle, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo($"aetherflow: {a} cannot wait for {b}: {b} already waits for {a} ({b} -> {a}), so that would be a cycle\n"));
        Assert.That((await RunAsync(home, "task", "ready")).Output, Is.EqualTo($"ID           PRI  TITLE\n{a}    2    a\n"));
    }

    [Test]
    public async Task Learnings_are_recorded_and_listed_newest_first()
    {
        using var home = new TestHome();
        string task = await AddAsync(home, "source");
        var (learnCode, first, _) = await RunAsync(home, "task", "learn", "Schema uses UUID keys", "--concept", "database", "--concept", "API", "--detail", "UUIDv7 everywhere", "--task", task);
        var (_, second, _) = await RunAsync(home, "task", "learn", "--concept", "testing", "Run", "tests", "with", "--", "--filter");

        var (code, text, _) = await RunAsync(home, "task", "context");
        var (_, api, _) = await RunAsync(home, "task", "context", "api", "--json");

        Assert.That(learnCode, Is.Zero);
        Assert.That(first.Trim(), Does.Match("^lrn-[0-9a-f]{6}$"));
        Assert.That(code, Is.Zero);
        Assert.That(text, Does.Match(
            "^" +
            $@"## {second.Trim()} \(\d{{4}}-\d\d-\d\d \d\d:\d\d UTC\)\nRun tests with --filter\n\nConcepts: testing\n" +
            "\n" +
            $@"## {first.Trim()} \(\d{{4}}-\d\d-\d\d \d\d:\d\d UTC\)\nSchema uses UUID keys\n\nUUIDv7 everywhere\n\nConcepts: api, database\nTask: {task}\n" +
            "$"));
        JsonArray learnings = JsonNode.Parse(api)!.AsArray();
        Assert.That(learnings, Has.Count.EqualTo(1));
        Assert.That(learnings[0]!["summary"]!.GetValue<string>(), Is.EqualTo("Schema uses UUID keys"));
        Assert.That(learnings[0]!["task_id"]!.GetValue<string>(), Is.EqualTo(task));
        Assert.That(learnings[0]!["concepts"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EqualTo(new[] { "api", "database" }));
        Assert.That(learnings[0]!["created_at"]!.GetValue<string>(), Does.EndWith("Z"));
    }

    [Test]
    public async Task Hostile_titles_are_stored_literally_but_printed_sanitised()
    {
        using var home = new TestHome();
        const string hostile = "\u001b]0;owned\u0007Fix \u001b[2J\u001b[31mred\u001b[0m\nbug";
        string id = await AddAsync(home, hostile);
        await RunAsync(home, "task", "log", id, hostile);

        var (_, list, _) = await RunAsync(home, "task", "list");
        var (_, show, _) = await RunAsync(home, "task", "show", id);
        var (_, json, _) = await RunAsync(home, "task", "show", id, "--json");

        Assert.That(list, Does.Contain($"{id}    open         2    Fix red bug\n"));
        Assert.That(list + show, Does.Not.Contain("\u001b").And.Not.Contain("\u0007"));
        Assert.That(show, Does.Contain("Title:       Fix red bug\n"));
        Assert.That(JsonNode.Parse(json)!["title"]!.GetValue<string>(), Is.EqualTo(hostile));
        Assert.That(json, Does.Not.Contain("\u001b"), "JSON escapes control characters");
    }

    [Test]
    public async Task A_project_on_prog_gets_a_note_that_the_engine_does_not_read_this_store()
    {
        using var home = new TestHome();
        home.WriteConfig("task_source: prog\n");

        var (code, output, error) = await RunAsync(home, "task", "list");

        Assert.That(code, Is.Zero);
        Assert.That(output, Is.EqualTo("No tasks\n"));
        Assert.That(error, Does.StartWith("aetherflow: note: this project's task_source is 'prog'"));
    }

    [Test]
    public async Task A_bad_config_is_exit_code_2()
    {
        using var home = new TestHome();
        home.WriteConfig("pool_size: 0\n");

        var (code, _, error) = await RunAsync(home, "task", "list");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Is.EqualTo("aetherflow: .aetherflow.yaml:1:12: pool_size must be between 1 and 256, got 0\n"));
    }

    [Test]
    public async Task The_store_lives_in_the_project_state_folder_with_owner_only_permissions()
    {
        using var home = new TestHome();
        string nested = Directory.CreateDirectory(Path.Combine(home.ProjectDirectory, "src")).FullName;
        home.WriteConfig("project: demo\n");

        var (code, _, _) = await CliRunner.RunAsync(nested, home.Variables, "task", "add", "from a subfolder");

        string store = Path.Combine(home.ProjectDirectory, ".aetherflow", "tasks.db");
        Assert.That(code, Is.Zero);
        Assert.That(File.Exists(store), Is.True);
        Assert.That(File.GetUnixFileMode(store), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Directory.Exists(Path.Combine(nested, ".aetherflow")), Is.False);
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(TestHome home, params string[] args) =>
        CliRunner.RunAsync(home.ProjectDirectory, home.Variables, args);

    private static async Task<string> AddAsync(TestHome home, params string[] args)
    {
        var (code, output, error) = await RunAsync(home, ["task", "add", .. args]);
        Assert.That(code, Is.Zero, error);
        return output.Trim();
    }
}
