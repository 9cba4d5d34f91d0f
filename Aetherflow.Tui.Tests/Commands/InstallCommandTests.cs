using System.Text.Json.Nodes;
using Aetherflow.Engine.Prompts;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

/// <summary><c>aetherflow install</c>, run in-process against a temporary target folder.</summary>
public sealed class InstallCommandTests
{
    private static readonly AssetCatalog Catalog = new();
    private TestHome home = null!;

    private string Target => Path.Combine(home.Root, "opencode");

    [SetUp]
    public void SetUp() => home = new TestHome();

    [TearDown]
    public void TearDown() => home.Dispose();

    [Test]
    public async Task A_fresh_install_writes_every_asset_byte_for_byte_and_the_npm_state()
    {
        var (code, output, error) = await InstallAsync("--yes");

        Assert.That((code, error), Is.EqualTo((0, string.Empty)));
        Assert.That(Catalog.InstallablePaths, Does.Contain("plugins/aetherflow-events.ts").And.Contain("skills/review-auto/SKILL.md").And.Contain("agents/aetherflow-code-reviewer.md"));
        foreach (string path in Catalog.InstallablePaths)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(Target, path)), Is.EqualTo(Catalog.ReadBytes(path)), path);
            Assert.That(output, Does.Contain($"✓ {path}\n"));
        }

        Assert.That(Directory.Exists(Path.Combine(Target, "node_modules")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(Target, "package.json")), Does.Contain("@opencode-ai/plugin"));
        Assert.That(File.Exists(Path.Combine(Target, "package-lock.json")), Is.True);
        Assert.That(output, Does.EndWith($"Done. {Catalog.InstallablePaths.Count + 3} written, 0 up to date.\n"));
        Assert.That(Directory.GetFiles(Target, "*.tmp", SearchOption.AllDirectories), Is.Empty, "no temporary files left behind");
    }

    [Test]
    public async Task A_second_install_skips_everything_and_touches_nothing()
    {
        await InstallAsync("--yes");
        DateTime written = File.GetLastWriteTimeUtc(Path.Combine(Target, "plugins", "aetherflow-events.ts"));

        var (code, output, _) = await InstallAsync("--yes");
        var (jsonCode, json, _) = await InstallAsync("--json");

        Assert.That(code, Is.Zero);
        Assert.That(output, Is.EqualTo($"Everything is up to date in {Target}.\n"));
        Assert.That(jsonCode, Is.Zero);
        JsonNode report = JsonNode.Parse(json)!;
        Assert.That(report["actions"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()), Is.All.EqualTo("skip"));
        Assert.That(report["executed"]!.GetValue<bool>(), Is.False);
        Assert.That(File.GetLastWriteTimeUtc(Path.Combine(Target, "plugins", "aetherflow-events.ts")), Is.EqualTo(written));
    }

    [Test]
    public async Task A_changed_file_is_rewritten_and_only_that_one_while_the_users_npm_files_are_kept()
    {
        await InstallAsync("--yes");
        string plugin = Path.Combine(Target, "plugins", "aetherflow-events.ts");
        File.WriteAllText(plugin, "// an old version");
        File.WriteAllText(Path.Combine(Target, "package.json"), "{\"dependencies\":{\"mine\":\"1.0.0\"}}");

        var (dryCode, plan, _) = await InstallAsync("--dry-run");
        var (code, output, _) = await InstallAsync("--yes");

        Assert.That(dryCode, Is.Zero);
        Assert.That(plan, Does.Contain("  write  plugins/aetherflow-events.ts\n"));
        Assert.That(plan, Does.Contain("  skip   skills/review-auto/SKILL.md (up to date)\n"));
        Assert.That(plan, Does.Contain("  skip   package.json (present)\n"));
        Assert.That(plan, Does.EndWith($"1 to write, {Catalog.InstallablePaths.Count + 2} up to date. (dry run — no files written)\n"));
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("✓ plugins/aetherflow-events.ts\n").And.Contain("· package.json (present)\n"));
        Assert.That(File.ReadAllBytes(plugin), Is.EqualTo(Catalog.ReadBytes("plugins/aetherflow-events.ts")));
        Assert.That(File.ReadAllText(Path.Combine(Target, "package.json")), Is.EqualTo("{\"dependencies\":{\"mine\":\"1.0.0\"}}"), "npm files are never replaced");
    }

    [Test]
    public async Task Check_exits_1_while_anything_is_missing_or_stale_and_0_once_installed()
    {
        var (before, beforeText, _) = await InstallAsync("--check");
        var (beforeJsonCode, beforeJson, _) = await InstallAsync("--check", "--json");
        await InstallAsync("--yes");
        var (after, afterText, _) = await InstallAsync("--check");
        File.AppendAllText(Path.Combine(Target, "skills", "review-auto", "SKILL.md"), "\nlocal edit\n");
        var (stale, staleText, _) = await InstallAsync("--check");

        int all = Catalog.InstallablePaths.Count + 3;
        Assert.That((before, beforeText), Is.EqualTo((1, $"{all} files need updating in {Target}; run 'aetherflow install'.\n")));
        Assert.That(beforeJsonCode, Is.EqualTo(1));
        JsonNode report = JsonNode.Parse(beforeJson)!;
        Assert.That(report["mode"]!.GetValue<string>(), Is.EqualTo("check"));
        Assert.That(report["up_to_date"]!.GetValue<bool>(), Is.False);
        Assert.That(report["summary"]!["write"]!.GetValue<int>(), Is.EqualTo(all));
        Assert.That((after, afterText), Is.EqualTo((0, "Everything is up to date.\n")));
        Assert.That((stale, staleText), Is.EqualTo((1, $"1 file needs updating in {Target}; run 'aetherflow install'.\n")));
        Assert.That(Directory.Exists(Path.Combine(Target, "agents")), Is.True, "--check itself wrote nothing; the install did");
    }

    [Test]
    public async Task A_dry_run_writes_nothing()
    {
        var (code, output, _) = await InstallAsync("--dry-run");
        var (jsonCode, json, _) = await InstallAsync("--dry-run", "--json");

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.StartWith($"Installing aetherflow skills, agents and plugins to {Target}:\n  write  agents/"));
        Assert.That(jsonCode, Is.Zero);
        Assert.That(JsonNode.Parse(json)!["mode"]!.GetValue<string>(), Is.EqualTo("dry_run"));
        Assert.That(Directory.Exists(Target), Is.False);
    }

    [Test]
    public async Task Json_reports_the_target_every_action_and_a_summary()
    {
        var (code, json, error) = await InstallAsync("--json");

        Assert.That((code, error), Is.EqualTo((0, string.Empty)));
        JsonObject report = JsonNode.Parse(json)!.AsObject();
        Assert.That(report.Select(p => p.Key), Is.EqualTo(new[] { "target", "mode", "executed", "up_to_date", "actions", "summary" }));
        Assert.That(report["target"]!.GetValue<string>(), Is.EqualTo(Target));
        Assert.That(report["mode"]!.GetValue<string>(), Is.EqualTo("install"));
        Assert.That(report["executed"]!.GetValue<bool>(), Is.True, "--json implies --yes");
        Assert.That(report["up_to_date"]!.GetValue<bool>(), Is.True);
        JsonArray actions = report["actions"]!.AsArray();
        Assert.That(actions.Select(a => a!["path"]!.GetValue<string>()), Is.EqualTo(Catalog.InstallablePaths.Concat(["node_modules/", "package.json", "package-lock.json"])));
        Assert.That(actions.Select(a => a!.AsObject().Select(p => p.Key).ToArray()), Is.All.EqualTo(new[] { "path", "action" }), "no error field when nothing failed");
        Assert.That(report["summary"]!.ToJsonString(), Is.EqualTo($"{{\"write\":{actions.Count},\"skip\":0,\"errors\":0}}"));
    }

    [Test]
    public async Task Files_that_cannot_be_written_are_reported_one_by_one_and_the_rest_is_installed()
    {
        // Obstacles that fail for every user, root included: a file where a folder must go, a folder where a file must go.
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "skills"), "not a folder");
        Directory.CreateDirectory(Path.Combine(Target, "agents", "aetherflow-code-reviewer.md"));
        string[] skills = Catalog.InstallablePaths.Where(p => p.StartsWith("skills/", StringComparison.Ordinal)).ToArray();

        var (code, output, _) = await InstallAsync("--yes");
        var (jsonCode, json, _) = await InstallAsync("--json");

        Assert.That(code, Is.EqualTo(1));
        foreach (string path in skills.Append("agents/aetherflow-code-reviewer.md"))
        {
            Assert.That(output, Does.Match($@"✗ {path} — \S.*\n"), path);
        }

        Assert.That(output, Does.Contain("✓ plugins/aetherflow-events.ts\n"));
        Assert.That(File.Exists(Path.Combine(Target, "plugins", "aetherflow-events.ts")), Is.True);
        Assert.That(output, Does.EndWith($" {skills.Length + 1} failed.\n"));
        Assert.That(jsonCode, Is.EqualTo(1));
        JsonNode report = JsonNode.Parse(json)!;
        Assert.That(report["summary"]!["errors"]!.GetValue<int>(), Is.EqualTo(skills.Length + 1));
        Assert.That(report["up_to_date"]!.GetValue<bool>(), Is.False);
        JsonNode failed = report["actions"]!.AsArray().Single(a => a!["path"]!.GetValue<string>() == "agents/aetherflow-code-reviewer.md")!;
        Assert.That(failed["action"]!.GetValue<string>(), Is.EqualTo("write"));
        Assert.That(failed["error"]!.GetValue<string>(), Is.Not.Empty.And.Not.Contains("\n"));
    }

    [Test]
    public async Task Without_yes_it_refuses_to_ask_when_stdin_is_not_a_terminal()
    {
        var (code, output, error) = await InstallAsync();

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo("aetherflow: not asking for confirmation because stdin is not a terminal; run 'aetherflow install --yes' to install, or --dry-run to only see the plan\n"));
        Assert.That(Directory.Exists(Target), Is.False);
    }

    [TestCase("n\n", false)]
    [TestCase("nope\n", false)]
    [TestCase("", false)]
    [TestCase("\n", true)]
    [TestCase("Y\n", true)]
    [TestCase("yes\n", true)]
    public async Task On_a_terminal_it_shows_the_plan_and_asks_first(string typed, bool installs)
    {
        var (code, output, _) = await CliRunner.RunInTerminalAsync(home.ProjectDirectory, home.Variables, typed, "install", "--target", Target);

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("  write  plugins/aetherflow-events.ts\n").And.Contain("  write  package-lock.json\nProceed? [Y/n] "));
        Assert.That(output, installs ? Does.EndWith("written, 0 up to date.\n") : Does.EndWith("Aborted.\n"));
        Assert.That(File.Exists(Path.Combine(Target, "plugins", "aetherflow-events.ts")), Is.EqualTo(installs));
    }

    [Test]
    public async Task Without_target_it_installs_into_the_XDG_config_dir_of_an_existing_opencode()
    {
        string global = Path.Combine(home.Variables["XDG_CONFIG_HOME"], "opencode");
        Directory.CreateDirectory(global);

        var (code, _, _) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "install", "--yes");

        Assert.That(code, Is.Zero);
        Assert.That(File.Exists(Path.Combine(global, "plugins", "aetherflow-events.ts")), Is.True);
    }

    [Test]
    public async Task Without_target_and_without_opencode_it_says_how_to_get_it()
    {
        home.Variables["PATH"] = Path.Combine(home.Root, "empty-path");

        var (code, output, error) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "install", "--yes");

        string global = Path.Combine(home.Variables["XDG_CONFIG_HOME"], "opencode");
        Assert.That((code, output), Is.EqualTo((1, string.Empty)));
        Assert.That(error, Is.EqualTo($"aetherflow: opencode does not seem to be installed (no 'opencode' on PATH and no {global}); install it with 'npm install -g opencode-ai', or pass --target <dir> to install anyway\n"));
        Assert.That(Directory.Exists(global), Is.False);
    }

    [Test]
    public async Task A_relative_target_is_taken_from_the_working_directory()
    {
        var (code, _, _) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, "install", "--yes", "--target", "oc");

        Assert.That(code, Is.Zero);
        Assert.That(File.Exists(Path.Combine(home.ProjectDirectory, "oc", "plugins", "aetherflow-events.ts")), Is.True);
    }

    private Task<(int ExitCode, string Output, string Error)> InstallAsync(params string[] args) =>
        CliRunner.RunAsync(home.ProjectDirectory, home.Variables, ["install", "--target", Target, .. args]);
}
