using Aetherflow.Engine.Events;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Opencode.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// A real engine host with the opencode event pipeline wired as the engine composes it for the opencode runtime — an
/// event store journaling to disk, the <see cref="OpencodeEventPump"/> (de-duplication, store, state trackers) and the
/// <see cref="PluginEventReceiver"/> behind <c>session.event</c> — but without an opencode server: 
/// points at the given address. Counts stored events so a measure can wait for the last one.
/// </summary>
internal sealed class IngestEngine : IAsyncDisposable
{
    private readonly OpencodeClient client;
    private long stored;
    private long target = long.MaxValue;
    private TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private IngestEngine(EngineHost host, SessionEventStore store, OpencodeEventPump pump, PluginEventReceiver receiver, OpencodeClient client)
    {
        Host = host;
        Store = store;
        Pump = pump;
        Receiver = receiver;
        this.client = client;
        store.Appended += OnAppended;
    }

    public EngineHost Host { get; }

    public SessionEventStore Store { get; }

    public OpencodeEventPump Pump { get; }

    public PluginEventReceiver Receiver { get; }

    public string SocketPath => Host.Endpoint.SocketPath;

    /// <summary>Events stored since the start.</summary>
    public long Stored => Interlocked.Read(ref stored);

    public static async Task<IngestEngine> StartAsync(BenchHome home, Uri opencode, CancellationToken cancellationToken)
    {
        ILoggerFactory loggers = NullLoggerFactory.Instance;
        var client = new OpencodeClient(new OpencodeConnection(opencode, OpencodeConnection.DefaultUsername, "bench"));
        var store = new SessionEventStore(
            new SessionEventStoreOptions { JournalDirectory = Path.Combine(home.Root, "state", "journals") },
            TimeProvider.System,
            loggers.CreateLogger<SessionEventStore>());
        var pump = new OpencodeEventPump(client, store, new AgentStateTrackerOptions(), TimeProvider.System, loggers);
        var receiver = new PluginEventReceiver(pump, home.Project, loggers.CreateLogger<PluginEventReceiver>());
        EngineHost host = await BenchEngine.StartAsync(
            home,
            new Dictionary<string, string> { ["runtime"] = "command", ["spawn_cmd"] = "true" },
            cancellationToken,
            async (config, options, ct) => await EngineComposition.CreateAsync(config, options, ct) is { } components
                ? components with { Events = store, PluginEvents = receiver }
                : null);
        return new IngestEngine(host, store, pump, receiver, client);
    }

    /// <summary>A task that completes once <paramref name="count"/> more events than now are stored.</summary>
    public Task ExpectAsync(long count)
    {
        reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref target, Stored + count);
        if (Stored >= Interlocked.Read(ref target))
        {
            reached.TrySetResult();
        }

        return reached.Task;
    }

    public async ValueTask DisposeAsync()
    {
        Store.Appended -= OnAppended;
        await Host.DisposeAsync();
        Receiver.Dispose();
        await Pump.DisposeAsync();
        Store.Dispose();
        client.Dispose();
    }

    private void OnAppended(object? sender, SessionEventsAppendedEventArgs e)
    {
        if (Interlocked.Add(ref stored, e.Events.Count) >= Interlocked.Read(ref target))
        {
            reached.TrySetResult();
        }
    }
}
