using System.Diagnostics;
using System.Text.RegularExpressions;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

/// <summary>
/// <c>aetherflow demo</c>, run in-process the way a newcomer runs it: headless to completion against the real opencode
/// (from <c>.tools/opencode</c>, found on PATH) and the scripted demo model, fully offline.
/// </summary>
[NonParallelizable]
public sealed partial class DemoCommandTests
{
    [Test]
    public async Task The_headless_demo_runs_every_task_to_done_with_its_branch_merged_into_main()
    {
        using var home = new TestHome();
        Dictionary<string, string> environment = DemoEnvironment(home, OpencodeFolder());

        var started = Stopwatch.StartNew();
        var (exitCode, output, error) = await CliRunner.RunAsync(home.Root, environment, "demo", "--headless", "--keep", "--step-delay", "0s", "--timeout", "10m");
        TestContext.Progress.WriteLine($"the headless demo took {started.Elapsed.TotalSeconds:0.0}s");

        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Contain("all 6 tasks are done and their branches are merged into main"));
        Assert.That(output, Does.Contain("took ts-").And.Contain("edit: strkit").And.Contain("write: cmd/reverse.sh").And.Contain("bash: aetherflow task done ts-"),
            "agents, their tool calls and the tasks' progress are printed as they happen");
        string project = KeptProject().Match(output).Groups["project"].Value;
        Assert.That(Directory.Exists(project), Is.True, output);

        var store = new BuiltinTaskStore(new BuiltinTaskStoreOptions { ProjectDirectory = project });
        var tasks = new List<TrackerTaskDetail>();
        foreach (TrackerTaskDetail listed in await store.ListDetailsAsync(null, CancellationToken.None))
        {
            tasks.Add(await store.GetAsync(listed.Id, CancellationToken.None));
        }

        Assert.That(tasks, Has.Count.EqualTo(6));
        Assert.That(tasks.Select(t => t.State), Has.All.EqualTo(TrackerTaskState.Done));
        Assert.That(tasks.SelectMany(t => t.Logs).Select(l => l.Message), Has.Exactly(6).StartsWith("Handoff: "));
        foreach (TrackerTaskDetail task in tasks)
        {
            Assert.That(await GitAsync(project, "merge-base", "--is-ancestor", "af/" + task.Id, "main"), Is.Zero, $"af/{task.Id} is merged into main");
        }

        Assert.That(await GitAsync(project, "diff", "--quiet", "HEAD"), Is.Zero, "the main checkout is clean after the merges");
        Assert.That(File.ReadAllText(Path.Combine(project, "README.md")), Does.Contain("* `palindrome`"), "main holds the last task's work");
    }

    [Test]
    public async Task Without_opencode_and_without_npm_the_demo_says_what_to_install_and_starts_nothing()
    {
        using var home = new TestHome();
        Dictionary<string, string> environment = DemoEnvironment(home, Directory.CreateDirectory(Path.Combine(home.Root, "empty-bin")).FullName);
        environment["PATH"] = Path.Combine(home.Root, "empty-bin");

        var (exitCode, output, error) = await CliRunner.RunAsync(home.Root, environment, "demo", "--headless");

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error.Trim(), Does.StartWith("aetherflow: opencode is not installed and npm is missing").And.Not.Contain('\n'));
        Assert.That(output, Is.Empty);
        Assert.That(Directory.GetDirectories(home.Root, "aetherflow-demo-*"), Is.Empty);
    }

    [Test]
    public async Task An_opencode_installed_by_npm_that_cannot_start_fails_the_demo_with_one_line_and_cleans_up()
    {
        using var home = new TestHome();
        string bin = Directory.CreateDirectory(Path.Combine(home.Root, "bin")).FullName;
        WriteExecutable(Path.Combine(bin, "npm"), """
            #!/bin/sh
            PATH=/usr/bin:/bin
            prefix=$3
            mkdir -p "$prefix/node_modules/.bin"
            printf '#!/bin/sh\necho "this is not opencode" >&2\nexit 3\n' > "$prefix/node_modules/.bin/opencode"
            chmod +x "$prefix/node_modules/.bin/opencode"
            """);
        Dictionary<string, string> environment = DemoEnvironment(home, bin);
        environment["PATH"] = $"{bin}:/usr/bin:/bin";

        var (exitCode, _, error) = await CliRunner.RunAsync(home.Root, environment, "demo", "--headless");

        Assert.That(exitCode, Is.EqualTo(1), error);
        Assert.That(error, Does.Contain($"aetherflow: opencode is not installed; installing opencode-ai@1.18.33 with npm into {Path.Combine(home.Root, "cache", "aetherflow", "opencode")}"));
        Assert.That(error, Does.Contain("aetherflow: installed opencode-ai@1.18.33"));
        Assert.That(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], Does.StartWith("aetherflow: the demo's agents cannot run: "));
        Assert.That(File.Exists(Path.Combine(home.Root, "cache", "aetherflow", "opencode", "node_modules", ".bin", "opencode")), Is.True, "the install is kept for the next run");
        Assert.That(Directory.GetDirectories(home.Root, "aetherflow-demo-*"), Is.Empty, "the throw-away folder is gone");
    }

    [Test]
    public async Task A_timeout_that_is_not_a_duration_is_refused()
    {
        using var home = new TestHome();

        var (exitCode, _, error) = await CliRunner.RunAsync(home.Root, home.Variables, "demo", "--headless", "--timeout", "soon");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo("aetherflow: --timeout 'soon' is not a duration; use a number with a unit, like 500ms, 30s or 5m"));
    }

    // The demo's throw-away folder goes into TMPDIR, here the test's own home, so nothing outlives the test.
    private static Dictionary<string, string> DemoEnvironment(TestHome home, string pathFirst)
    {
        var environment = new Dictionary<string, string>(home.Variables)
        {
            ["TMPDIR"] = home.Root,
            ["PATH"] = $"{pathFirst}:{home.Variables["PATH"]}",
            ["AETHERFLOW_TASK_SOURCE"] = "prog",
        };
        foreach (string name in new[] { "DOTNET_ROOT", "LANG" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    /// <summary>The folder of the pinned opencode the tests drive (see scripts/install-test-tools.sh).</summary>
    private static string OpencodeFolder()
    {
        string? configured = Environment.GetEnvironmentVariable("AETHERFLOW_TEST_OPENCODE");
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.GetDirectoryName(configured)!;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string bin = Path.Combine(dir.FullName, ".tools", "opencode", "node_modules", ".bin");
            if (File.Exists(Path.Combine(bin, "opencode")))
            {
                return bin;
            }
        }

        Assert.Fail("opencode is not installed for the tests (.tools/opencode): run scripts/install-test-tools.sh, or set AETHERFLOW_TEST_OPENCODE");
        return string.Empty;
    }

    private static void WriteExecutable(string path, string content)
    {
        File.WriteAllText(path, content + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static async Task<int> GitAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process git = Process.Start(start)!;
        await git.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return git.ExitCode;
    }

    [GeneratedRegex(@"kept \S+ \(project: (?<project>\S+),")]
    private static partial Regex KeptProject();
}
