using Aetherflow.Engine.Tasks.Builtin;

namespace Aetherflow.Engine.Tests.Tasks.Builtin;

public sealed class TaskStoreLocationTests
{
    [TestCase("/home/me/app", "/home/me/app")]
    [TestCase("/home/me/app/", "/home/me/app")]
    [TestCase("/home/me/app/.aetherflow/worktrees/ts-1a2b3c", "/home/me/app")]
    [TestCase("/home/me/app/.aetherflow/worktrees/ts-1a2b3c/src/deep", "/home/me/app")]
    [TestCase("/home/me/app/.aetherflow/worktrees", "/home/me/app/.aetherflow/worktrees")]
    [TestCase("/home/me/app/worktrees/x", "/home/me/app/worktrees/x")]
    [TestCase("/home/me/app/.aetherflow/other/x", "/home/me/app/.aetherflow/other/x")]
    public void The_main_project_is_found_from_inside_an_aetherflow_worktree(string directory, string expected) =>
        Assert.That(TaskStoreLocation.FindMainProject(directory), Is.EqualTo(expected));

    [Test]
    public void The_store_file_is_in_the_main_projects_state_folder() =>
        Assert.That(
            TaskStoreLocation.DatabasePath("/home/me/app/.aetherflow/worktrees/ts-1a2b3c"),
            Is.EqualTo("/home/me/app/.aetherflow/tasks.db"));
}
