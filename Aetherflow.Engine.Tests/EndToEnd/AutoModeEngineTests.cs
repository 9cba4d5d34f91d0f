using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.EndToEnd;

/// <summary>
/// The whole engine in auto mode with real parts: the prog stand-in as tracker, real git worktrees, real child
/// processes as agents (a shell script that does the work, commits and hands the task to review), and the reconciler.
/// </summary>
[NonParallelizable]
public sealed class AutoModeEngineTests
{
    private const string AgentScript = """
        #!/bin/sh
        # A stand-in agent: waits for its gate, maybe crashes once, then commits its work and asks for review.
        id="$AETHERFLOW_WORK_ID"
        while [ ! -e "$AF_GATES/$id" ] && [ ! -e "$AF_GATES/all" ]; do sleep 0.05; done
        if [ -e "$AF_CRASH/$id" ]; then rm -f "$AF_CRASH/$id"; echo "crashing once" >&2; exit 3; fi
        echo "done by $AETHERFLOW_AGENT_ID" > "work-$id.txt"
        git add "work-$id.txt" && git commit -q -m "Work on $id" && "$AF_PROG" review "$id"
        """;

    private TestHome home = null!;
    private GitSandbox git = null!;
    private ProgStandIn prog = null!;
    private string gates = null!;
    private string crashes = null!;

    private string argvLog => Path.Combine(home.Root, "prog-argv.log");

    [SetUp]
    public async Task SetUp()
    {
        home = new TestHome();
        git = await GitSandbox.CreateAsync();
        prog = new ProgStandIn(home);
        await prog.InitAsync();
        gates = Directory.CreateDirectory(Path.Combine(home.Root, "gates")).FullName;
        crashes = Directory.CreateDirectory(Path.Combine(home.Root, "crashes")).FullName;
        File.WriteAllText(Path.Combine(home.Root, "agent.sh"), AgentScript);
    }

    [TearDown]
    public void TearDown()
    {
        git.Dispose();
        home.Dispose();
    }

    [Test]
    public async Task Ready_tasks_run_in_worktrees_up_to_the_pool_size_and_land_in_review()
    {
        string[] ids = [await AddTaskAsync("First", 1), await AddTaskAsync("Second", 2), await AddTaskAsync("Third", 3)];
        await using EngineHost engine = await StartAsync(poolSize: 2);

        await Eventually.TrueAsync(() => Running(engine) == 2, "two agents running");
        Assert.That(engine.Engine.Snapshot.Queue.Select(q => q.Id), Is.EqualTo(new[] { ids[2] }), "the third waits in the queue");
        Assert.That(Directory.Exists(Path.Combine(git.RepoPath, ".aetherflow", "worktrees", ids[0])), Is.True);

        Open("all");
        await Eventually.TrueAsync(() => ids.All(id => StateOf(id) == "reviewing"), "all three tasks in review", TimeSpan.FromSeconds(30));
        foreach (string id in ids)
        {
            string log = await git.RunAsync(git.RepoPath, "log", "--format=%s", "-1", $"af/{id}");
            Assert.That(log.Trim(), Is.EqualTo($"Work on {id}"), $"the agent committed on af/{id}");
        }

        await Eventually.TrueAsync(() => engine.Engine.Snapshot.Agents.Count(a => a.Activity == AgentActivity.Exited && a.ExitCode == 0) == 3, "three clean exits");
        Assert.That(engine.Engine.Snapshot.Decisions.Select(d => d.Message), Has.Some.Contains("wait: pool full (2/2)"));
    }

    [Test]
    public async Task A_crash_is_respawned_after_a_backoff_on_the_same_task()
    {
        string id = await AddTaskAsync("Flaky", 1);
        File.WriteAllText(Path.Combine(crashes, id), string.Empty);
        Open("all");

        await using EngineHost engine = await StartAsync(poolSize: 1);

        await Eventually.TrueAsync(() => StateOf(id) == "reviewing", "the flaky task to reach review after a respawn", TimeSpan.FromSeconds(30));
        AgentInfo agent = engine.Engine.Snapshot.Agents.Single(a => a.TaskId == id);
        Assert.That(agent.Retries, Is.EqualTo(1));
        Assert.That(engine.Engine.Snapshot.Decisions.Select(d => d.Message), Has.Some.Contains("failed (exited with code 3); respawn 1/3 in"));
    }

    [Test]
    public async Task An_orphaned_in_progress_task_is_adopted_and_a_landed_review_becomes_done()
    {
        string orphan = await AddTaskAsync("Orphan", 1);
        await prog.RunOkAsync("start", orphan);
        Open("all");

        await using EngineHost engine = await StartAsync(poolSize: 1);
        await Eventually.TrueAsync(() => StateOf(orphan) == "reviewing", "the orphan to be adopted and finished", TimeSpan.FromSeconds(30));
        Assert.That(File.ReadAllLines(argvLog).Where(l => l.StartsWith("[\"start\"", StringComparison.Ordinal)), Is.Empty, "an adopted task is not claimed again");
        Assert.That(engine.Engine.Snapshot.Decisions.Select(d => d.Message), Has.Some.Contains($"adopts {orphan}: in progress with no live agent"));

        // A person merges the branch on the forge; the reconciler notices and marks the task done.
        await git.RunAsync(git.RepoPath, "push", "--quiet", "origin", $"af/{orphan}:main");
        await Eventually.TrueAsync(() => StateOf(orphan) == "done", "the landed review to be marked done", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => engine.Engine.Snapshot.Decisions.Any(d => d.Kind == "done" && d.TaskId == orphan), "the reconciler's decision");
        Assert.That(Directory.Exists(Path.Combine(git.RepoPath, ".aetherflow", "worktrees", orphan)), Is.False, "the worktree is removed after landing: " + string.Join(" | ", engine.Engine.Snapshot.Decisions.Select(d => d.Message)));
    }

    private async Task<EngineHost> StartAsync(int poolSize)
    {
        var variables = new Dictionary<string, string>(home.Variables);
        foreach ((string key, string value) in prog.Variables)
        {
            variables[key] = value;
        }

        foreach ((string key, string? value) in GitSandbox.Environment)
        {
            variables[key] = value!;
        }

        variables["AF_GATES"] = gates;
        variables["AF_CRASH"] = crashes;
        variables["AF_PROG"] = ProgStandIn.ExecutablePath;
        variables["PROG_STANDIN_ARGV_LOG"] = argvLog;
        AetherflowConfig config = ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = git.RepoPath,
            Environment = variables,
            Flags = new Dictionary<string, string>
            {
                ["project"] = "demo",
                ["spawn_policy"] = "auto",
                ["task_source"] = "prog",
                ["prog_bin"] = ProgStandIn.ExecutablePath,
                ["spawn_cmd"] = $"sh {Path.Combine(home.Root, "agent.sh")}",
                ["pool_size"] = poolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["poll_interval"] = "200ms",
                ["retry_backoff"] = "500ms",
                ["reconcile_interval"] = "5s",
            },
        });
        return await EngineHost.StartAsync(
            config,
            new EngineOptions { Environment = new HostEnvironment(variables), Headless = true, Components = EngineComposition.CreateAsync },
            CancellationToken.None);
    }

    private async Task<string> AddTaskAsync(string title, int priority) =>
        (await prog.RunOkAsync("add", title, "-p", "demo", "--priority", priority.ToString(System.Globalization.CultureInfo.InvariantCulture))).Trim();

    private string StateOf(string id)
    {
        string json = prog.RunOkAsync("show", id, "--json").GetAwaiter().GetResult();
        return System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("status").GetString()!;
    }

    private void Open(string gate) => File.WriteAllText(Path.Combine(gates, gate), string.Empty);

    private static int Running(EngineHost engine) => engine.Engine.Snapshot.Agents.Count(a => a.Activity == AgentActivity.Busy);
}
