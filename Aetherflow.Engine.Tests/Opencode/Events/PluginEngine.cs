using Aetherflow.Engine.Events;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Tests.Pool.Fakes;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode.Events;

/// <summary>
/// A real engine with its socket whose only event source is what the aetherflow-events plugin pushes: an event store
/// and a pump that never subscribes to a server's stream (it only backfills from the given client), and a
/// <see cref="PluginEventReceiver"/> behind <c>session.event</c>. Sessions to keep are tracked before the socket opens.
/// </summary>
internal sealed class PluginEngine : IAsyncDisposable
{
    private readonly RunningEngine engine;
    private readonly OpencodeClient? ownedClient;

    private PluginEngine(RunningEngine engine, SessionEventStore store, OpencodeEventPump pump, PluginEventReceiver receiver, RecordingLogger log, OpencodeClient? ownedClient)
    {
        this.engine = engine;
        Log = log;
        Store = store;
        Pump = pump;
        Receiver = receiver;
        this.ownedClient = ownedClient;
    }

    public SessionEventStore Store { get; }

    public OpencodeEventPump Pump { get; }

    public PluginEventReceiver Receiver { get; }

    public string SocketPath => engine.SocketPath;

    /// <summary>What the receiver logged.</summary>
    public RecordingLogger Log { get; }

    /// <summary>The socket an engine for <paramref name="project"/> in <paramref name="home"/> listens on.</summary>
    public static string SocketPathFor(TestHome home, string project = "demo") => EngineEndpoint.For(home.Paths, project).SocketPath;

    /// <param name="home">The engine's user environment.</param>
    /// <param name="track">Sessions (id, directory) to track before the socket opens.</param>
    /// <param name="client">The opencode server to backfill from; null for one that is never reached.</param>
    public static async Task<PluginEngine> StartAsync(TestHome home, IEnumerable<(string Session, string Directory)>? track = null, OpencodeClient? client = null)
    {
        OpencodeClient? owned = client is null ? new OpencodeClient(new OpencodeConnection(new Uri("http://127.0.0.1:9/"), OpencodeConnection.DefaultUsername, "unused")) : null;
        var loggers = new ProgressLoggerFactory();
        var store = new SessionEventStore(
            new SessionEventStoreOptions { JournalDirectory = Path.Combine(home.Root, "journals") },
            TimeProvider.System,
            new Microsoft.Extensions.Logging.Logger<SessionEventStore>(loggers));
        var pump = new OpencodeEventPump(client ?? owned!, store, new AgentStateTrackerOptions(), TimeProvider.System, loggers);
        foreach ((string session, string directory) in track ?? [])
        {
            pump.Track(session, directory);
        }

        var log = new RecordingLogger();
        var receiver = new PluginEventReceiver(pump, "demo", log);
        RunningEngine engine = await RunningEngine.StartAsync(home, "demo", components: (_, _, _) => Task.FromResult<EngineComponents?>(new EngineComponents
        {
            Tasks = new FakeTaskSource(),
            Runtime = new FakeRuntime(),
            Workspaces = new FakeWorkspaces(),
            Prompts = new FakePrompts(),
            Events = store,
            PluginEvents = receiver,
        }));
        return new PluginEngine(engine, store, pump, receiver, log, owned);
    }

    public IReadOnlyList<SessionEvent> EventsOf(string session) => Store.Read(session, 0, 10_000).Events;

    public async ValueTask DisposeAsync()
    {
        await engine.DisposeAsync();
        Receiver.Dispose();
        await Pump.DisposeAsync();
        Store.Dispose();
        ownedClient?.Dispose();
    }
}
