using Aetherflow.Engine.Api;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Faults;

/// <summary>
/// Fault 7: hostile task data — template markers, terminal escape sequences, shell metacharacters and a 1 MB
/// description — reaches an agent literally and nothing else: no template expansion, no shell, no screen tricks.
/// </summary>
[NonParallelizable]
public sealed class HostileTaskTests
{
    private static readonly string Marker = "pwned-" + Guid.NewGuid().ToString("N");

    private static string HostileTitle => $"{{{{task_id}}}} \u001b]0;{Marker}\u0007\u001b[2J $(touch /tmp/{Marker}) `touch /tmp/{Marker}` ; rm -rf ../..";

    [Test]
    public async Task A_hostile_task_reaches_its_agent_literally_and_is_shown_sanitised()
    {
        using var project = new FaultProject("hostile", "spawn_policy: auto\nruntime: command\nspawn_cmd: sh -c 'printf \"%s\" \"$1\" > \"$AETHERFLOW_WORK_ID.prompt\"; sleep 300' agent\npool_size: 1\npoll_interval: 200ms\n");
        var store = new BuiltinTaskStore(new BuiltinTaskStoreOptions { ProjectDirectory = project.Home.ProjectDirectory, ProjectName = project.Name });
        string id = (await store.AddAsync(new NewTask { Title = HostileTitle, Description = new string('x', 1024 * 1024) }, CancellationToken.None));

        await project.StartEngineAsync();
        await project.UntilStatusAsync(s => s.Agents.Any(a => a.TaskId == id && a.Activity == AgentActivity.Busy), "the hostile task to be running");
        string promptFile = Path.Combine(project.Home.ProjectDirectory, ".aetherflow", "worktrees", id, id + ".prompt");
        await Wait.UntilAsync(() => File.Exists(promptFile) && new FileInfo(promptFile).Length > 0, "the agent to record its prompt");
        string prompt = await File.ReadAllTextAsync(promptFile);
        using TestProcess status = TestProcess.Start(project.Home.ProjectDirectory, project.Home.Variables, "status");
        status.Process.WaitForExit();

        Assert.Multiple(() =>
        {
            Assert.That(prompt, Does.Contain($"Task: {id}"), "the real id is in the prompt");
            Assert.That(prompt, Does.Contain("{{task_id}}"), "a marker in the title is not expanded");
            Assert.That(prompt, Does.Not.Contain("\u001b"), "escape sequences are stripped from the title in the prompt");
            Assert.That(File.Exists($"/tmp/{Marker}"), Is.False, "no shell ever ran the title");
            Assert.That(status.Output, Does.Contain(id));
            Assert.That(status.Output, Does.Not.Contain("\u001b]0;"), "status output carries no escape sequence from the title");
            Assert.That(Directory.GetDirectories(Path.Combine(project.Home.ProjectDirectory, ".aetherflow", "worktrees")), Is.EqualTo(new[] { Path.Combine(project.Home.ProjectDirectory, ".aetherflow", "worktrees", id) }));
        });
    }

    [Test]
    public async Task The_dashboard_shows_a_hostile_title_without_letting_it_touch_the_terminal()
    {
        using var project = new FaultProject("hostile-ui", "spawn_policy: auto\nruntime: command\nspawn_cmd: sh -c 'sleep 300' agent\npool_size: 1\npoll_interval: 200ms\n");
        var store = new BuiltinTaskStore(new BuiltinTaskStoreOptions { ProjectDirectory = project.Home.ProjectDirectory, ProjectName = project.Name });
        string id = (await store.AddAsync(new NewTask { Title = HostileTitle }, CancellationToken.None));
        (string file, string[] prefix) = TestProcess.Executable();

        using TmuxSession terminal = TmuxSession.Start($"{file} {string.Join(' ', prefix)}", project.Home.ProjectDirectory, project.Home.Variables, 140, 30);
        string screen = await terminal.WaitForAsync(id);

        Assert.That(screen, Does.Contain("{{task_id}}"));
        Assert.That(screen, Does.Contain("$(touch"), "shell text is shown as text");
        Assert.That(terminal.PaneTitle(), Does.Not.Contain(Marker), "an OSC title sequence in a title never reaches the terminal");
        Assert.That(File.Exists($"/tmp/{Marker}"), Is.False);
        terminal.SendKeys("q");
    }
}
