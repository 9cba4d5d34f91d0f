using System.Runtime.InteropServices;
using Aetherflow.Engine.Api;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Faults;

/// <summary>Fault 1: <c>kill -9</c> of the engine while agents work.</summary>
[NonParallelizable]
public sealed class EngineCrashTests
{
    [Test]
    public async Task After_a_kill_9_the_next_engine_stops_the_orphaned_agents_and_readopts_every_task_once()
    {
        using var project = new FaultProject("crash", "spawn_policy: auto\nruntime: command\nspawn_cmd: sh -c \"sleep 300\" agent\npool_size: 2\npoll_interval: 200ms\n");
        string[] tasks = [project.AddTask("First"), project.AddTask("Second")];
        TestProcess first = await project.StartEngineAsync();
        await project.UntilStatusAsync(s => s.Agents.Count(a => a.Activity == AgentActivity.Busy) == 2, "two agents running");
        int[] orphanPids = (await project.StatusAsync()).Agents.Select(a => a.Pid!.Value).ToArray();

        Assert.That(Kill(first.Process.Id, 9), Is.Zero);
        await first.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(orphanPids.All(IsAlive), Is.True, "agents run in their own sessions and outlive a killed engine");

        await project.StartEngineAsync();
        await project.UntilStatusAsync(s => s.Agents.Count(a => a.Activity == AgentActivity.Busy) == 2, "both tasks re-adopted");
        EngineSnapshot after = await project.StatusAsync();

        Assert.That(orphanPids.Any(IsAlive), Is.False, "the orphaned agents were stopped");
        Assert.That(after.Agents.Where(a => a.Activity == AgentActivity.Busy).Select(a => a.TaskId), Is.EquivalentTo(tasks), "each task has exactly one agent");
        Assert.That(after.Agents.Select(a => a.Pid), Has.None.AnyOf(orphanPids.Cast<int?>().ToArray()));
        Assert.That(after.Decisions.Select(d => d.Message), Has.Some.Contains("left running by a previous engine"));
        Assert.That(tasks.Select(project.TaskStatus), Has.All.EqualTo("in_progress"));
    }

    [Test]
    public async Task After_a_kill_9_the_opencode_session_is_resumed_and_no_acknowledged_event_is_lost()
    {
        await using var model = await Aetherflow.Engine.ScriptedModel.ScriptedModelServer.StartAsync(new() { MaxLifetime = TimeSpan.FromMinutes(10) });
        using var project = new FaultProject("crash-oc", "spawn_policy: auto\npool_size: 1\npoll_interval: 200ms\nretry_backoff: 200ms\n");
        OfflineOpencodeSetup.Apply(project.Home, model);
        string task = project.AddTask("Slow work SCENARIO:slow-tool:30");
        TestProcess first = await project.StartEngineAsync();
        await project.UntilStatusAsync(s => s.Agents.Any(a => a.TaskId == task && a.Activity == AgentActivity.Busy && a.LastTool != null), "the agent in its slow tool call", 120);
        EngineSnapshot before = await project.StatusAsync();
        AgentInfo agent = before.Agents.Single(a => a.TaskId == task);
        EventPage acknowledged = await ReadAllAsync(project, agent.Name);
        int serverPid = OfflineOpencodeSetup.ServerPid(project.Home, project.Name);

        Assert.That(Kill(first.Process.Id, 9), Is.Zero);
        await first.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(IsAlive(serverPid), Is.True, "the managed server outlives a killed engine");

        await project.StartEngineAsync();
        await project.UntilStatusAsync(s => s.Agents.Any(a => a.TaskId == task && a.SessionId == agent.SessionId && a.Activity is AgentActivity.Busy or AgentActivity.Exited), "the task re-adopted in its session", 120);
        EngineSnapshot after = await project.StatusAsync();
        AgentInfo readopted = after.Agents.Last(a => a.TaskId == task);
        EventPage replayed = await ReadAllAsync(project, readopted.Name);

        Assert.That(IsAlive(serverPid), Is.False, "the orphaned server was stopped");
        Assert.That(after.Agents.Count(a => a.TaskId == task && a.Activity != AgentActivity.Exited), Is.LessThanOrEqualTo(1), "never two agents on one task");
        Dictionary<long, string> afterBySequence = replayed.Events.ToDictionary(e => e.Sequence, e => e.Type);
        Assert.That(acknowledged.Events.All(e => afterBySequence.TryGetValue(e.Sequence, out string? type) && type == e.Type), Is.True, "every event read before the crash is still there with its sequence number");
    }

    private static async Task<EventPage> ReadAllAsync(FaultProject project, string agent)
    {
        await using var client = await Aetherflow.Engine.Rpc.EngineClient.ConnectAsync(project.SocketPath, CancellationToken.None);
        return await client.ReadEventsAsync(agent, 0, 10_000, raw: true, CancellationToken.None);
    }

    private static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
