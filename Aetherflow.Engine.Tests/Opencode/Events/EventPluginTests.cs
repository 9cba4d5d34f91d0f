using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Prompts;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode.Events;

/// <summary>
/// The aetherflow-events plugin inside the real opencode (offline, scripted model), pushing to a real engine socket.
/// The engine here has no event stream subscription, so whatever reaches its store came through the plugin.
/// </summary>
[NonParallelizable]
public sealed class EventPluginTests
{
    [Test]
    public async Task The_plugin_queues_while_the_engine_is_away_flushes_when_it_is_back_and_then_delivers_live()
    {
        using var home = new TestHome();
        string socket = PluginEngine.SocketPathFor(home);
        await using OfflineOpencode opencode = await StartWithPluginAsync(new Dictionary<string, string> { [OpencodeEventPlugin.SocketVariable] = socket, [OpencodeEventPlugin.ProjectVariable] = "demo" });

        // No engine yet: opencode must not care.
        string early = opencode.CreateSessionDirectory("early");
        string earlySession = await RunBashTurnAsync(opencode, early);

        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(earlySession, early)], opencode.Client);
        await Eventually.TrueAsync(() => engine.EventsOf(earlySession).Any(e => e.Type == "session.idle"), "the queued events of the early session", OfflineOpencode.TurnTimeout);

        IReadOnlyList<SessionEvent> queued = engine.EventsOf(earlySession);
        Assert.That(queued.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, queued.Count).Select(i => (long)i)), "gapless sequence numbers");
        Assert.That(queued[0].Type, Is.EqualTo("session.created"), "events from before the engine existed were kept and flushed in order");
        Assert.That(queued.Select(e => e.Type), Does.Contain("message.part.updated").And.Contain("message.updated").And.Contain("session.status"));
        Assert.That(queued.Any(e => e.Type == "message.part.updated" && e.Payload.Span.IndexOf("\"status\":\"completed\""u8) >= 0), Is.True, "the bash tool's completion arrived");

        string live = opencode.CreateSessionDirectory("live");
        OpencodeSession session = await opencode.Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "live" }, live);
        engine.Pump.Track(session.Id, live);
        await opencode.Client.PromptAsync(session.Id, new OpencodePrompt { Text = "SCENARIO:bash" }, live);
        await opencode.WaitForTurnAsync(session.Id, live);
        await Eventually.TrueAsync(() => engine.EventsOf(session.Id).Any(e => e.Type == "session.idle"), "the live session's events", OfflineOpencode.TurnTimeout);

        IReadOnlyList<SessionEvent> delivered = engine.EventsOf(session.Id);
        Assert.That(delivered.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, delivered.Count).Select(i => (long)i)));
        Assert.That(delivered.Count(e => e.Type == "session.idle"), Is.EqualTo(1));
        PluginEventCounters counters = engine.Receiver.Counters;
        Assert.That(counters.Added, Is.GreaterThanOrEqualTo(queued.Count + delivered.Count), "every stored event came through the plugin");
        Assert.That((counters.Invalid, counters.Lost, counters.ActiveFeeds), Is.EqualTo((0L, 0L, 1)), "one connection for the whole server, nothing lost");
    }

    [Test]
    public async Task Without_the_socket_variable_the_plugin_is_inert_and_opencode_works_normally()
    {
        using var home = new TestHome();
        await using PluginEngine engine = await PluginEngine.StartAsync(home);
        await using OfflineOpencode opencode = await StartWithPluginAsync(new Dictionary<string, string>());
        Assert.That(File.Exists(Path.Combine(opencode.ConfigDirectory, OpencodeEventPlugin.AssetPath)), Is.True);

        string directory = opencode.CreateSessionDirectory("plain");
        string session = await RunBashTurnAsync(opencode, directory);

        IReadOnlyList<OpencodeMessage> messages = await opencode.Client.GetMessagesAsync(session, directory);
        Assert.That(messages[^1].Finish, Is.EqualTo("stop"));
        Assert.That(File.ReadAllText(Path.Combine(directory, "out.txt")).Trim(), Is.EqualTo("hello"));
        Assert.That((await opencode.Client.GetHealthAsync()).Healthy, Is.True);
        Assert.That(engine.Receiver.Counters.Received, Is.Zero);
    }

    /// <summary>An offline opencode whose global config dir holds the plugin exactly as <c>aetherflow install</c> writes it.</summary>
    private static Task<OfflineOpencode> StartWithPluginAsync(Dictionary<string, string> variables) => OfflineOpencode.StartAsync(
        configure: options => options with { ExtraEnvironment = new Dictionary<string, string>(options.ExtraEnvironment.Concat(variables)) },
        prepareConfigDirectory: directory =>
        {
            var installer = new AssetInstaller(new AssetCatalog(), directory);
            IReadOnlyList<AssetInstallStep> done = installer.Execute(installer.Plan());
            Assert.That(done.Where(s => s.Error is not null), Is.Empty);
        });

    private static async Task<string> RunBashTurnAsync(OfflineOpencode opencode, string directory)
    {
        OpencodeSession session = await opencode.Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "plugin" }, directory);
        await opencode.Client.PromptAsync(session.Id, new OpencodePrompt { Text = "SCENARIO:bash" }, directory);
        await opencode.WaitForTurnAsync(session.Id, directory);
        return session.Id;
    }
}
