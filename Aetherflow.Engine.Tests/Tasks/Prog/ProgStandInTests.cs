using System.Text.Json;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Tasks.Prog;

/// <summary>
/// The prog stand-in itself, where its fidelity to prog's contract (prog-contract.md) matters to the engine's tests:
/// output layouts, JSON shapes, readiness rules and the database location.
/// </summary>
public sealed class ProgStandInTests : ProgStandInFixture
{
    [Test]
    public async Task An_error_has_cobras_stderr_layout_and_exit_code_1()
    {
        ProgRun run = await Prog.RunAsync("show", "ts-000000", "--json");

        string message = "item not found: ts-000000 (use 'prog list' to see available items)";
        string[] lines = run.ErrorLines;
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.StandardOutput, Is.Empty);
            Assert.That(lines[0], Is.EqualTo("Error: " + message));
            Assert.That(lines[1..3], Is.EqualTo(new[] { "Usage:", "  prog show <id> [flags]" }));
            Assert.That(lines, Does.Contain("Flags:").And.Contain("Global Flags:").And.Contain("  -p, --project string   Project scope"));
            Assert.That(lines[^3..], Is.EqualTo(new[] { string.Empty, message, string.Empty }), "blank line, the message again, final newline");
        });
    }

    [Test]
    public async Task Block_is_an_unknown_command_that_suggests_blocks()
    {
        ProgRun run = await Prog.RunAsync("block", "ts-000000", "stuck");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrorLines[0], Is.EqualTo("Error: unknown command \"block\" for \"prog\""));
        Assert.That(run.StandardError, Does.Contain("Did you mean this?\n\tblocks\n").And.Contain("Run 'prog --help' for usage."));
    }

    [Test]
    public async Task Ready_json_has_progs_five_fields_two_space_indent_and_go_escaping()
    {
        string id = await Prog.AddAsync("A <b> & c", "demo", "--priority", "1", "--dod", "done when done");

        string json = await Prog.RunOkAsync("ready", "-p", "demo", "--json");

        Assert.That(json, Is.EqualTo(
            "[\n  {\n" +
            $"    \"id\": \"{id}\",\n" +
            "    \"title\": \"A \\u003cb\\u003e \\u0026 c\",\n" +
            "    \"priority\": 1,\n" +
            "    \"type\": \"task\",\n" +
            "    \"parent\": null\n" +
            "  }\n]\n"));
        Assert.That(await Prog.RunOkAsync("ready", "-p", "other", "--json"), Is.EqualTo("[]\n"));
    }

    [Test]
    public async Task Show_json_has_progs_fields_in_order()
    {
        string id = await Prog.AddAsync("Title", "demo");
        await Prog.RunOkAsync("log", id, "note");

        using JsonDocument show = JsonDocument.Parse(await Prog.RunOkAsync("show", id, "--json"));

        Assert.That(show.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "id", "title", "type", "status", "priority", "project", "parent", "description", "definition_of_done",
            "labels", "dependencies", "logs",
        }));
        JsonElement log = show.RootElement.GetProperty("logs")[0];
        Assert.That(log.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "message", "created_at" }));
        Assert.That(log.GetProperty("created_at").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
    }

    [Test]
    public async Task Readiness_follows_progs_rules()
    {
        string reviewed = await Prog.AddAsync("Reviewed blocker", "demo");
        string waitsOnReview = await Prog.AddAsync("Waits on review", "demo");
        string canceled = await Prog.AddAsync("Canceled blocker", "demo");
        string waitsOnCancel = await Prog.AddAsync("Waits on cancel", "demo");
        await Prog.AddAsync("Draft", "demo", "--draft");
        string epic = await Prog.AddAsync("Epic", "demo", "-e");
        string child = await Prog.AddAsync("Child", "demo", "--parent", epic, "--priority", "1");
        string waitsOnEpic = await Prog.AddAsync("Waits on epic", "demo", "--priority", "3");
        await Prog.RunOkAsync("blocks", reviewed, waitsOnReview);
        await Prog.RunOkAsync("blocks", canceled, waitsOnCancel);
        await Prog.RunOkAsync("blocks", epic, waitsOnEpic);
        await Prog.RunOkAsync("start", reviewed);
        await Prog.RunOkAsync("review", reviewed);
        await Prog.RunOkAsync("cancel", canceled, "no", "longer", "needed");

        string[] before = ReadyIds(await Prog.RunOkAsync("ready", "-p", "demo", "--json"));
        await Prog.RunOkAsync("done", child);
        string[] after = ReadyIds(await Prog.RunOkAsync("ready", "-p", "demo", "--json"));

        Assert.That(before, Is.EqualTo(new[] { child, waitsOnCancel }), "priority first, then creation order; no drafts, epics or reviewing-blocked tasks");
        Assert.That(after, Is.EqualTo(new[] { waitsOnCancel, waitsOnEpic }), "an epic whose children are all done resolves its dependents");
    }

    [Test]
    public async Task The_text_tables_match_progs()
    {
        string first = await Prog.AddAsync("Design schema", "demo", "--priority", "1", "--dod", "schema.sql committed");
        string second = await Prog.AddAsync("Implement API", "demo", "-l", "backend");

        Assert.That(await Prog.RunOkAsync("ready", "-p", "demo"), Is.EqualTo(
            "ID           PRI  TITLE\n" +
            $"{first}    1    [DoD] Design schema\n" +
            $"{second}    2    [backend] Implement API\n"));
        Assert.That(await Prog.RunOkAsync("list", "-p", "demo"), Is.EqualTo(
            "ID           STATUS       PRI  TITLE\n" +
            $"{first}    open         1    Design schema\n" +
            $"{second}    open         2    [backend] Implement API\n"));
        Assert.That(await Prog.RunOkAsync("ready", "-p", "nothing"), Is.EqualTo("No ready tasks\n"));
    }

    [Test]
    public async Task Status_commands_print_progs_lines()
    {
        string id = await Prog.AddAsync("Task", "demo");

        Assert.That(await Prog.RunOkAsync("start", id), Is.EqualTo($"Started {id}\n"));
        Assert.That(await Prog.RunOkAsync("log", id, "a  b"), Is.EqualTo($"Logged to {id}\n"));
        Assert.That(await Prog.RunOkAsync("review", id), Is.EqualTo($"Marked {id} as reviewing\n"));
        Assert.That(await Prog.RunOkAsync("open", id), Is.EqualTo($"Reopened {id}\n"));
        Assert.That(await Prog.RunOkAsync("draft", id), Is.EqualTo($"Moved {id} to draft\n"));
        Assert.That(await Prog.RunOkAsync("done", id), Is.EqualTo(
            $"Completed {id}\n\nReflect: What would help the next agent? (See instructions for guidance)\n" +
            "  prog learn \"summary\" -c concept --detail \"explanation\"\n"));
        ProgRun review = await Prog.RunAsync("review", id);
        Assert.That(review.ErrorLines[0], Is.EqualTo("Error: can only review in_progress tasks (current status: done)"));
    }

    [Test]
    public async Task An_uninitialised_database_fails_like_progs_migration_and_init_then_works()
    {
        var fresh = new ProgStandIn(Home, "fresh.db");

        ProgRun run = await fresh.RunAsync("ready", "--json");
        string init = await fresh.RunOkAsync("init");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrorLines[0], Is.EqualTo("Error: migration failed: migration to v3 failed: no such table: items"));
        Assert.That(init, Is.EqualTo(
            $"Initialized prog database at {fresh.DatabasePath}\n\nNext: run 'prog onboard' to set up Claude Code integration\n"));
        Assert.That(await fresh.RunOkAsync("ready", "--json"), Is.EqualTo("[]\n"));
    }

    [Test]
    public async Task Add_needs_a_title_then_a_project()
    {
        ProgRun noTitle = await Prog.RunAsync("add", "-p", "demo");
        ProgRun noProject = await Prog.RunAsync("add", "Title");
        ProgRun badPriority = await Prog.RunAsync("add", "Title", "-p", "demo", "--priority", "abc");

        Assert.That(noTitle.ErrorLines[0], Is.EqualTo("Error: requires at least 1 arg(s), only received 0"));
        Assert.That(noProject.ErrorLines[0], Is.EqualTo("Error: project is required (-p)"));
        Assert.That(badPriority.ErrorLines[0], Is.EqualTo(
            "Error: invalid argument \"abc\" for \"--priority\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"));
    }

    [Test]
    public async Task Mutations_are_backed_up_into_HOME_even_when_PROG_DB_points_elsewhere()
    {
        Prog.Variables.Remove("PROG_STANDIN_NO_BACKUP");

        await Prog.AddAsync("Backed up", "demo");

        string backups = Path.Combine(Home.Home, ".prog", "backups");
        Assert.That(Directory.GetFiles(backups, "prog-*.db"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Parallel_writers_all_succeed()
    {
        string[] ids = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => Prog.AddAsync($"Parallel {i}", "demo")));

        Assert.That(ids.Distinct().Count(), Is.EqualTo(12));
        Assert.That(ReadyIds(await Prog.RunOkAsync("ready", "-p", "demo", "--json")), Is.EquivalentTo(ids));
    }

    private static string[] ReadyIds(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();
    }
}
