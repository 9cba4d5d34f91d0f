using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.EndToEnd;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Faults;

/// <summary>Faults 4, 5 and 9 with real opencode sessions: a hung agent, damaged state files, an unwritable journal.</summary>
[NonParallelizable]
public sealed class OpencodeFaultTests
{
    [Test]
    public async Task A_hung_agent_is_flagged_and_with_hang_action_stop_is_stopped_respawned_and_finally_put_back()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync(new()
        {
            ["spawn_policy"] = "auto",
            ["hang_timeout"] = "2s",
            ["hang_action"] = "stop",
            ["max_retries"] = "1",
        });
        string id = await af.AddTaskAsync("Hangs SCENARIO:hang:600");

        await af.UntilAsync(() => af.Snapshot.Agents.Any(a => a.TaskId == id && a.Activity == AgentActivity.Hung), "the agent to be flagged as hung");
        await af.UntilAsync(() => af.StateOf(id) == "open", "the hung agent to be stopped, respawned, and its task put back", 180);

        Assert.That(af.Snapshot.Decisions.Where(d => d.Kind == "hung").Select(d => d.Message), Has.Some.Contains("is hung (no events since").And.Some.Contains("stopping it to respawn"));
        Assert.That(af.Agent(id).Retries, Is.EqualTo(1), "it was respawned once, in its session, before the task was put back");
    }

    [Test]
    public async Task Damaged_registry_and_journal_files_are_moved_aside_or_skipped_and_rebuilt_from_the_live_server()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();
        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:bash" }, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.Exited, "the agent to finish");
        string session = af.Agent(spawned.TaskId!).SessionId!;
        int stored = af.Engine.Engine.Components!.Events!.Read(session, 0, 10_000).Events.Count;
        string registry = af.Engine.Engine.Components!.Registry!.FilePath;
        string journals = Path.Combine(af.Home.Variables["XDG_STATE_HOME"], "aetherflow", "projects", "demo", "journals");

        await af.RestartAsync(() =>
        {
            byte[] content = File.ReadAllBytes(registry);
            File.WriteAllBytes(registry, content[..(content.Length / 2)]);
            File.AppendAllText(Path.Combine(journals, session + ".ndjson"), "{\"sequence\":99999,\"type\":\"message.part.upd");
            File.WriteAllBytes(Path.Combine(journals, "ses_garbage.ndjson"), [0xff, 0xfe, 0x00, 0x13, 0x37, (byte)'\n', 0x42, (byte)'\n']);
            return Task.CompletedTask;
        });
        IReadOnlyList<SessionRecord> rebuilt = await af.Engine.Engine.Components!.Registry!.ListAsync(CancellationToken.None);
        SessionEventReadResult replayed = af.Engine.Engine.Components!.Events!.Read(session, 0, 10_000);
        af.Engine.Engine.Components!.Events!.Read("ses_garbage", 0, 10);

        Assert.That(Directory.GetFiles(Path.GetDirectoryName(registry)!, "sessions.json.corrupt-*"), Has.Length.EqualTo(1), "the damaged registry was moved aside");
        Assert.That(rebuilt.Select(r => r.SessionId), Does.Contain(session), "the registry was rebuilt from the live server");
        Assert.That(rebuilt.Single(r => r.SessionId == session).WorkRef, Is.EqualTo(spawned.TaskId), "from the session's metadata");
        Assert.That(replayed.Events, Has.Count.EqualTo(stored), "every complete journal line survived; the torn last line was skipped");
        Assert.That(Directory.GetFiles(journals, "ses_garbage.ndjson.corrupt-*"), Has.Length.EqualTo(1), "an unreadable journal was moved aside");

        AgentInfo next = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:text" }, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(next.TaskId!).Activity == AgentActivity.Exited, "the engine to keep working");
        Assert.That(af.Agent(next.TaskId!).ExitCode, Is.Zero);
    }

    [Test]
    public async Task An_unwritable_journal_folder_leaves_the_engine_running_and_says_so()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync();
        string journals = Path.Combine(af.Home.Variables["XDG_STATE_HOME"], "aetherflow", "projects", "demo", "journals");
        await af.RestartAsync(() =>
        {
            if (Directory.Exists(journals))
            {
                Directory.Delete(journals, recursive: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(journals)!);
            File.WriteAllText(journals, "a file where the journal folder should be");
            return Task.CompletedTask;
        });

        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:bash" }, CancellationToken.None);
        await af.UntilAsync(() => af.Agent(spawned.TaskId!).Activity == AgentActivity.Exited, "the agent to finish without a journal");
        AgentDetail detail = await af.Engine.Engine.GetAgentAsync(spawned.Name, CancellationToken.None);

        Assert.That(af.Agent(spawned.TaskId!).ExitCode, Is.Zero);
        Assert.That(detail.ToolCalls.Select(t => t.Tool), Does.Contain("bash"), "events are kept in memory");
        Assert.That(af.Snapshot.Warnings, Has.Some.Contains("journal"), "the status says the journal is not being written");
        Assert.That(File.ReadAllText(journals), Is.EqualTo("a file where the journal folder should be"), "nothing is overwritten");
    }
}
