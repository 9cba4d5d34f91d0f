using System.Diagnostics;
using System.Text.Json.Nodes;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

public sealed class TaskWorktreeTests
{
    [Test]
    public async Task From_inside_an_agent_worktree_the_main_projects_store_is_used()
    {
        using var home = new TestHome();
        string project = home.ProjectDirectory;
        await GitAsync(project, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(project, "README.md"), "demo\n");
        await GitAsync(project, "add", "README.md");
        await GitAsync(project, "commit", "-q", "-m", "initial");
        var (_, added, _) = await CliRunner.RunAsync(project, home.Variables, "task", "add", "Work in a worktree");
        string id = added.Trim();
        string worktree = Path.Combine(project, ".aetherflow", "worktrees", id);
        await GitAsync(project, "worktree", "add", "-q", "-b", "af/" + id, worktree);
        string inside = Directory.CreateDirectory(Path.Combine(worktree, "src", "deep")).FullName;
        Assert.That(File.Exists(Path.Combine(worktree, ".git")), Is.True, "a worktree has a .git file, like the agents' ones");

        var start = await CliRunner.RunAsync(worktree, home.Variables, "task", "start", id);
        var log = await CliRunner.RunAsync(inside, home.Variables, "task", "log", id, "checkpoint from the worktree");
        var followUp = await CliRunner.RunAsync(inside, home.Variables, "task", "add", "Follow-up found by the agent");
        var shown = await CliRunner.RunAsync(inside, home.Variables, "task", "show", id, "--json");

        Assert.That((start.ExitCode, log.ExitCode, followUp.ExitCode, shown.ExitCode), Is.EqualTo((0, 0, 0, 0)), start.Error + log.Error + followUp.Error + shown.Error);
        Assert.That(Directory.Exists(Path.Combine(worktree, ".aetherflow")), Is.False, "no store is created inside the worktree");
        Assert.That(Directory.Exists(Path.Combine(inside, ".aetherflow")), Is.False);
        JsonNode task = JsonNode.Parse(shown.Output)!;
        Assert.That(task["project"]!.GetValue<string>(), Is.EqualTo("demo"), "the main project's name, not the worktree folder's");
        Assert.That(task["status"]!.GetValue<string>(), Is.EqualTo("in_progress"));
        var (_, list, _) = await CliRunner.RunAsync(project, home.Variables, "task", "list", "--json");
        Assert.That(JsonNode.Parse(list)!.AsArray().Select(t => t!["title"]!.GetValue<string>()), Is.EquivalentTo(new[] { "Work in a worktree", "Follow-up found by the agent" }));
        var (_, mainShow, _) = await CliRunner.RunAsync(project, home.Variables, "task", "show", id);
        Assert.That(mainShow, Does.Contain("] checkpoint from the worktree\n"));
    }

    private static async Task GitAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A git identity for the test repository, never the user's own configuration.
        start.Environment["GIT_AUTHOR_NAME"] = "Aetherflow Tests";
        start.Environment["GIT_AUTHOR_EMAIL"] = "tests@aetherflow.invalid";
        start.Environment["GIT_COMMITTER_NAME"] = "Aetherflow Tests";
        start.Environment["GIT_COMMITTER_EMAIL"] = "tests@aetherflow.invalid";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using Process git = Process.Start(start)!;
        Task<string> error = git.StandardError.ReadToEndAsync();
        await git.StandardOutput.ReadToEndAsync();
        await git.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(git.ExitCode, Is.Zero, $"git {string.Join(' ', args)}: {await error}");
    }
}
