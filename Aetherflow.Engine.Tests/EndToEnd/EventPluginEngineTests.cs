using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Prompts;

namespace Aetherflow.Engine.Tests.EndToEnd;

/// <summary>The whole engine with the aetherflow-events plugin installed where its managed opencode server loads it.</summary>
[NonParallelizable]
public sealed class EventPluginEngineTests
{
    [Test]
    public async Task With_the_plugin_installed_the_managed_server_pushes_events_beside_the_stream_and_each_is_kept_once()
    {
        await using OpencodeEngineHarness af = await OpencodeEngineHarness.StartAsync(prepareOpencodeConfig: directory =>
        {
            var installer = new AssetInstaller(new AssetCatalog(), directory);
            Assert.That(installer.Execute(installer.Plan()).Where(s => s.Error is not null), Is.Empty);
        });

        AgentInfo spawned = await af.Engine.Engine.SpawnAsync(new SpawnRequest { Prompt = "SCENARIO:bash please", RequestedBy = "test" }, CancellationToken.None);
        await af.UntilAsync(() => af.Snapshot.Agents.Any(a => a.TaskId == spawned.TaskId && a.Activity == AgentActivity.Exited), "the spawned agent to finish");
        PluginEventReceiver plugin = af.Engine.Engine.Components!.PluginEvents!;
        await af.UntilAsync(() => plugin.Counters.Duplicates + plugin.Counters.Added > 20, "the plugin's copies of the session's events");

        AgentInfo agent = af.Agent(spawned.TaskId!);
        Assert.That(agent.LastError, Is.Null.Or.Empty);
        IReadOnlyList<SessionEvent> stored = af.Engine.Engine.Components!.Events!.Read(agent.SessionId!, 0, 10_000).Events;
        Assert.That(stored.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, stored.Count).Select(i => (long)i)));
        Assert.That(
            stored.Count(e => e.Type == "session.status" && e.Payload.Span.IndexOf("\"type\":\"idle\""u8) >= 0),
            Is.EqualTo(1),
            "the idle status came twice (stream and plugin) and was stored once");
        Assert.That(stored.Count(e => e.Type == "message.part.updated" && e.Payload.Span.IndexOf("\"status\":\"completed\""u8) >= 0), Is.EqualTo(1));
        Assert.That((plugin.Counters.Invalid, plugin.Counters.ActiveFeeds), Is.EqualTo((0L, 1)));
    }
}
