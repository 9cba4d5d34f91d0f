using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.EndToEnd;

/// <summary>Agents as real opencode sessions driven by the engine, offline against the scripted model.</summary>
[NonParallelizable]
public sealed class OpencodeEngineTests
{
    [Test]
    public async Task A_spawned_agent_runs_as_a_correlated_session_in_its_worktree_and_its_events_are_recorded_in_order()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();

        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:bash please", RequestedBy = "test" }, CancellationToken.None);
        string id = spawned.TaskId!;
        await af.UntilAsync(() => af.Agent(id).Activity == AgentActivity.Exited, "the spawned agent to finish");

        AgentInfo agent = af.Agent(id);
        Assert.That(agent.ExitCode, Is.Zero, agent.LastError);
        Assert.That(agent.SessionId, Does.StartWith("ses_"));
        Assert.That(agent.LastTool, Does.StartWith("bash"));
        string worktree = Path.Combine(af.Git.RepoPath, ".aetherflow", "worktrees", id);
        Assert.That(File.ReadAllText(Path.Combine(worktree, "out.txt")).Trim(), Is.EqualTo("hello"), "the tool ran in the agent's worktree");

        SessionEventStore events = af.Engine.Engine.Components!.Events!;
        SessionEventReadResult read = events.Read(agent.SessionId!, 0, 10_000);
        Assert.That(read.Events.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, read.Events.Count).Select(i => (long)i)), "sequence numbers are gapless");
        Assert.That(read.Events.Select(e => e.Type), Does.Contain("message.part.updated").And.Contain("session.status"));

        SessionRecord? record = (await af.Engine.Engine.Components!.Registry!.ListAsync(CancellationToken.None)).SingleOrDefault(r => r.SessionId == agent.SessionId);
        Assert.That(record, Is.Not.Null, "the session is in the registry");
        Assert.That(record!.WorkRef, Is.EqualTo(id));
        Assert.That(record.AgentId, Is.EqualTo(agent.Name));
        Assert.That(record.Status, Is.EqualTo(SessionStatus.Idle));
    }

    [Test]
    public async Task A_pool_task_is_taken_and_its_agent_moves_it_to_review()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync(new() { ["spawn_policy"] = "auto" });

        string id = await af.AddTaskAsync("Do the work SCENARIO:review");
        await af.UntilAsync(() => af.StateOf(id) == "reviewing", "the task to reach review");
        await af.UntilAsync(() => af.Snapshot.Agents.Any(a => a.TaskId == id && a.Activity == AgentActivity.Exited), "the agent to finish");

        string log = await af.Git.RunAsync(af.Git.RepoPath, "log", "--format=%s", "-1", $"af/{id}");
        Assert.That(log.Trim(), Is.EqualTo($"Work on {id}"));
        Assert.That(af.Agent(id).ExitCode, Is.Zero);
    }

    [Test]
    public async Task A_model_error_fails_the_agent_and_the_respawn_resumes_the_same_session_until_retries_run_out()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync(new() { ["spawn_policy"] = "auto", ["max_retries"] = "1" });

        string id = await af.AddTaskAsync("Broken SCENARIO:fail:400");
        await af.UntilAsync(() => af.StateOf(id) == "open" && af.Snapshot.Agents.Any(a => a.TaskId == id && a.Activity == AgentActivity.Exited), "the task to be put back after the retry");

        Assert.That(af.Agent(id).Retries, Is.EqualTo(1));
        Assert.That(af.Agent(id).LastError, Does.Contain("scripted failure"));
        string[] sessions = af.Model.Requests.Where(r => r.Scenario == "fail").Select(r => r.SessionId!).Distinct().ToArray();
        Assert.That(sessions, Has.Length.EqualTo(1), "the respawn continued the same opencode session");
        Assert.That(af.Snapshot.Decisions.Select(d => d.Message), Has.Some.Contains("gave up after 2 failed runs"));
    }

    [Test]
    public async Task Stop_aborts_a_hanging_session_and_the_agent_is_not_respawned()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();
        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:hang:600" }, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.Busy, "the agent to be busy");

        await af.Engine.Engine.StopAgentAsync(spawned.Name, "test", CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.Exited, "the agent to stop", 30);

        Assert.That(af.Agent(spawned.TaskId!).Retries, Is.Zero);
        Assert.That(af.Snapshot.Decisions.Select(d => d.Message), Has.Some.Contains("stop requested by test"));
    }

    [Test]
    public async Task Steering_lands_in_the_running_session_and_in_its_event_stream_with_the_sender()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();
        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:slow-tool:3" }, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.Busy, "the agent to be busy");

        await af.Engine.Engine.SteerAsync(spawned.Name, "also update the changelog", "ana", CancellationToken.None);
        await af.UntilAsync(() => af.Model.Requests.Any(r => r.LastUserText?.Contains("Message from ana: also update the changelog", StringComparison.Ordinal) == true), "the steer to reach the model");

        string session = af.Agent(spawned.TaskId!).SessionId!;
        SessionEvent steer = af.Engine.Engine.Components!.Events!.Read(session, 0, 10_000).Events.Single(e => e.Type == "aetherflow.steer");
        Assert.That(System.Text.Encoding.UTF8.GetString(steer.Payload.Span), Does.Contain("\"sender\":\"ana\""));
    }

    [Test]
    public async Task A_killed_server_is_restarted_and_the_interrupted_agent_resumes_its_session()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync(new() { ["spawn_policy"] = "auto" });
        string id = await af.AddTaskAsync("Slow then review SCENARIO:slow-tool:4");
        await af.UntilAsync(() => af.Snapshot.Agents.Any(a => a.TaskId == id && a.Activity == AgentActivity.Busy && a.LastTool != null), "the agent to be in its tool call");
        string session = af.Agent(id).SessionId!;
        int serverPid = af.Engine.Engine.Components!.Opencode!.ServerProcessId!.Value;

        Assert.That(Kill(-serverPid, 9), Is.Zero);
        await af.UntilAsync(() => af.Engine.Engine.Components!.Opencode!.ServerProcessId is int pid && pid != serverPid && af.Snapshot.Warnings.Count == 0, "the server to be restarted");
        await af.UntilAsync(() => af.Model.Requests.Count(r => r.SessionId == session && r.LastUserText?.Contains("previous run on this task stopped", StringComparison.Ordinal) == true) > 0, "the agent to resume its session");

        Assert.That(af.Agent(id).SessionId, Is.EqualTo(session));
        Assert.That(af.Agent(id).Retries, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Twenty_agents_at_once_in_separate_worktrees_all_finish()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();

        AgentInfo[] spawned = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = $"SCENARIO:bash agent {i}" }, CancellationToken.None)));
        await af.UntilAsync(() => spawned.All(s => af.Agent(s.TaskId!).Activity == AgentActivity.Exited), "all twenty agents to finish", 300);

        Assert.That(spawned.Select(s => af.Agent(s.TaskId!).ExitCode), Has.All.EqualTo(0));
        Assert.That(spawned.Select(s => File.Exists(Path.Combine(af.Git.RepoPath, ".aetherflow", "worktrees", s.TaskId!, "out.txt"))), Has.All.True);
        Assert.That(spawned.Select(s => af.Agent(s.TaskId!).SessionId).Distinct().Count(), Is.EqualTo(20));
    }

    [Test]
    public async Task Agent_detail_and_event_reads_show_the_tool_calls_in_order()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();
        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:multi" }, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.Exited, "the agent to finish");

        AgentDetail detail = await af.Engine.Engine.GetAgentAsync(spawned.Name, CancellationToken.None);
        EventPage first = await af.Engine.Engine.ReadEventsAsync(spawned.Name, 0, 5, raw: false, CancellationToken.None);
        EventPage rest = await af.Engine.Engine.ReadEventsAsync(spawned.Name, first.NextCursor, 10_000, raw: true, CancellationToken.None);

        Assert.That(detail.ToolCalls.Select(t => t.Tool), Is.EqualTo(new[] { "bash", "write", "read" }));
        Assert.That(detail.ToolCalls, Has.All.Property(nameof(ToolCallInfo.Status)).EqualTo("completed"));
        Assert.That(detail.ToolCalls[0].Input, Does.Contain("echo"));
        IEnumerable<long> sequences = first.Events.Concat(rest.Events).Select(e => e.Sequence);
        Assert.That(sequences, Is.Ordered.Ascending.And.Unique);
        Assert.That(first.Events.Concat(rest.Events).Where(e => e.Kind == "tool").Select(e => e.Text), Has.Some.Contains("bash"));
        Assert.That(rest.Events.All(e => e.Raw is not null), Is.True, "raw reads carry the payload");
    }

    [Test]
    public async Task A_permission_request_is_surfaced_and_answered()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync(new() { ["permission_external_directory"] = "ask" });
        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:read-file:/etc/hostname" }, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.WaitingForPermission, "the agent to wait for a permission");

        AgentDetail waiting = await af.Engine.Engine.GetAgentAsync(spawned.Name, CancellationToken.None);
        PermissionRequestInfo answered = await af.Engine.Engine.AnswerPermissionAsync(spawned.Name, PermissionReply.Once, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.Exited, "the agent to finish after the answer");

        Assert.That(waiting.PendingPermissions.Single().Permission, Is.EqualTo("external_directory"));
        Assert.That(answered.Id, Is.EqualTo(waiting.PendingPermissions[0].Id));
        Assert.That(af.Agent(spawned.TaskId!).ExitCode, Is.Zero);
    }

    [Test]
    public async Task A_socket_subscriber_receives_an_agents_events_live()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();
        using RawRpcClient client = await RawRpcClient.ConnectAsync(af.Engine.Endpoint.SocketPath);
        await client.CallAsync("events.subscribe", new { topics = new[] { "events" } });

        await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:bash" }, CancellationToken.None);
        var tools = new List<string>();
        var sequences = new List<long>();
        string? agent = null;
        while (!tools.Any(t => t.Contains("bash", StringComparison.Ordinal)))
        {
            System.Text.Json.Nodes.JsonObject pushed = await client.ReadAsync();
            Assert.That(pushed["method"]!.GetValue<string>(), Is.EqualTo("agent.events"));
            agent ??= pushed["params"]!["agent"]!.GetValue<string>();
            System.Text.Json.Nodes.JsonArray events = pushed["params"]!["events"]!.AsArray();
            sequences.AddRange(events.Select(e => e!["sequence"]!.GetValue<long>()));
            tools.AddRange(events.Where(e => e!["kind"]!.GetValue<string>() == "tool").Select(e => e!["segments"]!.ToJsonString()));
        }

        // The session's first events are stored before the engine has published which agent runs it (the prompt goes
        // out before the launch is reported); a subscriber that was there first still gets them: exactly what a read
        // from the start gives.
        EventPage fromStart = await af.Engine.Engine.ReadEventsAsync(agent!, 0, 10_000, raw: false, CancellationToken.None);
        Assert.That(sequences, Is.EqualTo(fromStart.Events.Select(e => e.Sequence).Take(sequences.Count)));
    }

    [Test]
    public async Task Attach_info_opens_the_agents_session_on_the_managed_server_and_the_session_list_has_it()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();
        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:bash" }, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.Exited, "the agent to finish");
        AgentInfo agent = af.Agent(spawned.TaskId!);
        await using RemoteEngine remote = await RemoteEngine.ConnectAsync(af.Engine.Endpoint.SocketPath, CancellationToken.None);

        SessionAttachInfo attach = await remote.GetAgentAttachAsync(agent.Name, CancellationToken.None);
        IReadOnlyList<SessionInfo> sessions = await remote.ListSessionsAsync(CancellationToken.None);

        Assert.That(attach.SessionId, Is.EqualTo(agent.SessionId));
        Assert.That(attach.Directory, Is.EqualTo(agent.Worktree));
        Assert.That(attach.Password, Is.Not.Null.And.Not.Empty, "the managed server has a password");
        using var client = new OpencodeClient(new OpencodeConnection(new Uri(attach.ServerUrl), attach.Username, attach.Password));
        OpencodeSession session = await client.GetSessionAsync(attach.SessionId, attach.Directory);
        Assert.That(session.Id, Is.EqualTo(agent.SessionId), "the url and credentials reach the agent's session");
        SessionInfo listed = sessions.Single(s => s.SessionId == agent.SessionId);
        Assert.That(listed.Agent, Is.EqualTo(agent.Name));
        Assert.That(listed.WorkRef, Is.EqualTo(spawned.TaskId));
        Assert.That(listed.Origin, Is.EqualTo("spawn"));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
