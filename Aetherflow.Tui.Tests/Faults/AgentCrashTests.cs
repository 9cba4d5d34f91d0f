using System.Runtime.InteropServices;
using System.Text.Json;
using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Faults;

/// <summary>Fault 3: an agent killed with <c>kill -9</c>, and an agent that keeps crashing.</summary>
[NonParallelizable]
public sealed class AgentCrashTests
{
    [Test]
    public async Task A_killed_agent_is_respawned_on_its_task_and_after_max_retries_the_task_is_put_back_with_the_reason()
    {
        using var project = new FaultProject("agent-kill", "spawn_policy: auto\nruntime: command\nspawn_cmd: sh -c \"sleep 300\" agent\npool_size: 1\nmax_retries: 1\nretry_backoff: 200ms\npoll_interval: 200ms\n");
        string task = project.AddTask("Long work");
        await project.StartEngineAsync();
        await project.UntilStatusAsync(s => s.Agents.Any(a => a.TaskId == task && a.Activity == AgentActivity.Busy), "the agent to run");
        int first = (await project.StatusAsync()).Agents.Single(a => a.TaskId == task).Pid!.Value;

        Assert.That(Kill(first, 9), Is.Zero);
        await project.UntilStatusAsync(s => s.Agents.Any(a => a.TaskId == task && a.Activity == AgentActivity.Busy && a.Pid != first && a.Retries == 1), "the respawn");
        int second = (await project.StatusAsync()).Agents.Single(a => a.TaskId == task).Pid!.Value;
        Assert.That(Kill(second, 9), Is.Zero);
        await project.UntilStatusAsync(s => s.Agents.Any(a => a.TaskId == task && a.Activity == AgentActivity.Exited), "the agent to be given up");
        await Wait.UntilAsync(() => project.TaskStatus(task) == "open", "the task to be put back");

        // The reason is logged right after the task is reopened (a second call to the store).
        const string reason = "aetherflow: put back to open: gave up after 2 failed runs; last: killed by signal 9 (SIGKILL)";
        await Wait.UntilAsync(() => TaskLogs(project, task).Contains(reason), "the put-back reason in the task's log");
        EngineSnapshot status = await project.StatusAsync();
        Assert.That(status.Decisions.Select(d => d.Message), Has.Some.Contains("respawn 1/1 in"));
    }

    private static string[] TaskLogs(FaultProject project, string task)
    {
        using TestProcess show = TestProcess.Start(project.Home.ProjectDirectory, project.Home.Variables, "task", "show", task, "--json");
        show.Process.WaitForExit();
        return JsonDocument.Parse(show.Output).RootElement.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("message").GetString()!).ToArray();
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
