using Aetherflow.Engine.Demo;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Engine.Tests.Support;
using CliWrap.Buffered;

namespace Aetherflow.Engine.Tests.Demo;

/// <summary>
/// The demo model's scripts, replayed without opencode: their file tool calls applied the way opencode's tools apply
/// them, in dependency order, keep the demo project's tests green — so the live demo cannot fail on its own content.
/// </summary>
public sealed class DemoScriptsTests
{
    private TempDirectory folder = null!;
    private DemoProject project = null!;

    [SetUp]
    public async Task CreateProject()
    {
        folder = new TempDirectory("afdemo");
        project = await DemoProject.CreateAsync(
            new DemoProjectOptions { Directory = folder.Combine("strkit"), ProjectName = "demo-test2", GitEnvironment = GitSandbox.Environment },
            CancellationToken.None);
    }

    [TearDown]
    public void DeleteFolder() => folder.Dispose();

    [Test]
    public async Task Replaying_every_tasks_file_changes_in_dependency_order_keeps_the_tests_green()
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<string>();
        foreach (DemoTask task in project.Tasks)
        {
            Assert.That(task.Plan.After.All(done.Contains), Is.True, $"{task.Plan.Key} comes after its dependencies");
            var read = new HashSet<string>(StringComparer.Ordinal);
            foreach (ScriptedToolCall call in DemoScripts.StepsFor(task, project.Directory).SelectMany(s => s.ToolCalls))
            {
                Apply(call, read, task.Plan.Key);
            }

            BufferedCommandResult tests = await DemoProjectTests.RunTestsAsync(project.Directory);
            Assert.That(tests.ExitCode, Is.Zero, $"after {task.Plan.Key}: {tests.StandardOutput}{tests.StandardError}");
            results.Add(tests.StandardOutput.Trim());
            done.Add(task.Plan.Key);
        }

        Assert.That(results[^1], Is.EqualTo("7 passed, 0 failed"), "every task added its test");
    }

    [Test]
    public void Every_script_commits_lands_its_branch_from_the_project_root_logs_a_handoff_and_marks_its_own_task_done_last()
    {
        foreach (DemoTask task in project.Tasks)
        {
            IReadOnlyList<ScriptStep> steps = DemoScripts.StepsFor(task, project.Directory);
            string[] commands = steps.SelectMany(s => s.ToolCalls).Where(c => c.Name == "bash").Select(c => c.Arguments["command"]!.GetValue<string>()).ToArray();

            Assert.That(commands[0], Is.EqualTo($"aetherflow task show {task.Id}"));
            Assert.That(commands, Has.Some.StartsWith("git add --all && git commit"));
            Assert.That(commands, Has.Some.EqualTo("git merge --no-edit main"));
            Assert.That(commands, Has.Some.Contains($"git -C {project.Directory} merge --no-ff af/{task.Id} -m 'Merge af/{task.Id} ({task.Id})'"));
            Assert.That(commands, Has.Some.StartsWith($"aetherflow task log {task.Id} 'Handoff: "));
            Assert.That(commands[^1], Is.EqualTo($"aetherflow task done {task.Id}"));
            Assert.That(steps[^1].Kind, Is.EqualTo(ScriptStepKind.Text));
            Assert.That(steps[^1].Text, Does.Contain("scripted demo agent"));
        }
    }

    [Test]
    public void Each_task_id_is_assigned_its_own_scenario()
    {
        IReadOnlyDictionary<string, IReadOnlyList<ScriptStep>> scripts = DemoScripts.Scripts(project);
        IReadOnlyDictionary<string, string> assignments = DemoScripts.Assignments(project);

        Assert.That(assignments.Keys, Is.EquivalentTo(project.Tasks.Select(t => t.Id)));
        Assert.That(assignments.Values, Is.Unique);
        Assert.That(assignments.Values.All(scripts.ContainsKey), Is.True);
    }

    // What opencode's tools do with the calls: read needs the file, edit needs it read first and the old text exactly
    // once, write creates the file. Bash calls (tests, git, aetherflow) are left to the end-to-end demo test.
    private void Apply(ScriptedToolCall call, HashSet<string> read, string key)
    {
        string path = call.Name == "bash" ? string.Empty : Path.Combine(project.Directory, call.Arguments["filePath"]!.GetValue<string>());
        switch (call.Name)
        {
            case "read":
                Assert.That(File.Exists(path), Is.True, $"{key} reads {path}, which exists");
                read.Add(path);
                break;
            case "write":
                Assert.That(File.Exists(path), Is.False, $"{key} writes a new file {path}");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, call.Arguments["content"]!.GetValue<string>());
                break;
            case "edit":
                Assert.That(read, Does.Contain(path), $"{key} read {path} before editing it");
                string text = File.ReadAllText(path);
                string old = call.Arguments["oldString"]!.GetValue<string>();
                Assert.That(text.Split(old).Length - 1, Is.EqualTo(1), $"{key}: the old text occurs exactly once in {path}");
                File.WriteAllText(path, text.Replace(old, call.Arguments["newString"]!.GetValue<string>(), StringComparison.Ordinal));
                break;
            case "bash":
                break;
            default:
                Assert.Fail($"{key} calls {call.Name}, which the replay does not know");
                break;
        }
    }
}
