using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Tests.Opencode.Events;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>
/// <c>session.event</c> notifications — what the aetherflow-events plugin sends — over a real engine socket, written
/// as raw lines. A request sent after a batch of notifications is answered only after they were handled (the socket
/// handles a connection's messages in order), so its reply is the point where the batch's effects can be checked.
/// </summary>
[NonParallelizable]
public sealed class SessionEventSocketTests
{
    private const string Tracked = "ses_4f0d2b1a7ffe3kQh9Zr2Vx8TmN";
    private const string Other = "ses_0000000000000000000000000a";
    private const string Directory = "/work/project";
    private TestHome home = null!;

    [SetUp]
    public void SetUp() => home = new TestHome();

    [TearDown]
    public void TearDown() => home.Dispose();

    [Test]
    public async Task Pushed_events_of_a_tracked_session_are_stored_in_the_order_sent_with_sequence_numbers()
    {
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)]);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        var batch = new StringBuilder(Hello("4242-abc") + "\n");
        for (int n = 1; n <= 300; n++)
        {
            batch.Append(Push(n, Status(Tracked, n))).Append('\n');
        }

        await plugin.WriteRawAsync(batch.ToString());
        await HelloAsync(plugin);

        IReadOnlyList<SessionEvent> stored = engine.EventsOf(Tracked);
        Assert.That(stored.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 300).Select(i => (long)i)));
        Assert.That(stored.Select(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("n").GetInt32()), Is.EqualTo(Enumerable.Range(1, 300)), "stored in the order sent");
        Assert.That(stored.Select(e => e.Type), Is.All.EqualTo("session.status"));
        PluginEventCounters counters = engine.Receiver.Counters;
        Assert.That((counters.Received, counters.Added, counters.Invalid, counters.Lost, counters.ActiveFeeds), Is.EqualTo((301L, 300L, 0L, 0L, 1)));
        Assert.That(engine.Log.MessagesAt(LogLevel.Information), Has.Some.Contains("aetherflow-events plugin in opencode pid 4242 connected"));
    }

    [Test]
    public async Task A_burst_of_several_sessions_is_shared_by_the_lanes_and_each_session_keeps_its_order()
    {
        string[] sessions = SessionIds("burst", 4);
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [.. sessions.Select(s => (s, Directory))]);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        await plugin.WriteRawAsync(SharedBurst("4250-abc", sessions, 2000));
        await HelloAsync(plugin);

        foreach (string session in sessions)
        {
            IReadOnlyList<SessionEvent> stored = engine.EventsOf(session);
            Assert.That(stored.Select(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("n").GetInt32()), Is.EqualTo(Enumerable.Range(1, 500)), $"{session} in the order sent");
        }

        PluginEventCounters counters = engine.Receiver.Counters;
        Assert.That((counters.Added, counters.Invalid, counters.Lost), Is.EqualTo((2000L, 0L, 0L)), "no gap is seen where there is none");
        Assert.That(counters.OnLanes, Is.GreaterThan(0), "the lanes handled the burst");
    }

    [Test]
    public async Task A_gap_in_the_plugins_numbering_inside_a_shared_burst_is_seen_once()
    {
        string[] sessions = SessionIds("gap", 4);
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [.. sessions.Select(s => (s, Directory))]);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        // Number 700 never arrives.
        await plugin.WriteRawAsync(SharedBurst("4251-abc", sessions, 1000, sequence: i => i + 1 < 700 ? i + 1 : i + 2));
        await HelloAsync(plugin);

        PluginEventCounters counters = engine.Receiver.Counters;
        Assert.That((counters.Added, counters.Lost), Is.EqualTo((1000L, 1L)));
        Assert.That(counters.OnLanes, Is.GreaterThan(0));
    }

    [Test]
    public async Task A_broken_event_in_a_shared_burst_is_counted_invalid_and_the_rest_is_kept()
    {
        string[] sessions = SessionIds("broken", 2);
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [.. sessions.Select(s => (s, Directory))]);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        // Event 202 is framed like the plugin's, but its JSON is broken (a trailing comma): whichever thread reads it.
        await plugin.WriteRawAsync(SharedBurst("4252-abc", sessions, 400, change: (i, json) => i == 201 ? json.Replace("\"n\":", "\"n\":,", StringComparison.Ordinal) : json));
        await HelloAsync(plugin);

        PluginEventCounters counters = engine.Receiver.Counters;
        Assert.That((counters.Added, counters.Invalid), Is.EqualTo((399L, 1L)));
        Assert.That(engine.EventsOf(sessions[1]).Count, Is.EqualTo(199));
    }

    [Test]
    public async Task A_plugin_that_pushes_a_shared_burst_and_leaves_has_every_event_stored()
    {
        string[] sessions = SessionIds("leaves", 6);
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [.. sessions.Select(s => (s, Directory))]);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        await plugin.WriteRawAsync(SharedBurst("4253-abc", sessions, 3000));
        plugin.ShutdownSend();
        Assert.That(await plugin.ReadLineOrEndAsync(), Is.Null, "the engine closes the connection once the client has left");

        Assert.That(sessions.Sum(s => engine.EventsOf(s).Count), Is.EqualTo(3000), "every event stored by the time the connection closed");
        Assert.That(engine.Receiver.Counters.OnLanes, Is.GreaterThan(0));
        await Eventually.TrueAsync(() => engine.Receiver.ActiveFeeds == 0, "the connection's feed to close");
    }

    [Test]
    public async Task A_burst_is_published_without_waiting_for_another_message_and_in_far_fewer_batches_than_events()
    {
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)]);
        int notifications = 0;
        engine.Store.Appended += (_, e) => Interlocked.Increment(ref notifications);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        var burst = new StringBuilder(Hello("4243-abc") + "\n");
        for (int n = 1; n <= 300; n++)
        {
            burst.Append(Push(n, Status(Tracked, n))).Append('\n');
        }

        // Nothing follows the burst on the connection: the engine publishes it when it has read everything there is.
        await plugin.WriteRawAsync(burst.ToString());
        await Eventually.TrueAsync(() => engine.EventsOf(Tracked).Count == 300, "all 300 events stored");

        Assert.That(engine.EventsOf(Tracked).Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 300).Select(i => (long)i)));
        Assert.That(Volatile.Read(ref notifications), Is.LessThan(150), "events read together are journaled and published together");
    }

    [Test]
    public async Task A_plugin_that_pushes_and_leaves_has_every_event_stored_and_its_connection_closed()
    {
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)]);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        // No request at all, a blank line, and a last event without its newline: the plugin's "send and go".
        await plugin.WriteRawAsync(Hello("4244-abc") + "\n" + Push(1, Status(Tracked, 1)) + "\r\n\n" + Push(2, Status(Tracked, 2)));
        plugin.ShutdownSend();
        string? end = await plugin.ReadLineOrEndAsync();

        Assert.That(end, Is.Null, "the engine closes a connection whose client has left");
        Assert.That(engine.EventsOf(Tracked).Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2 }));
        PluginEventCounters counters = engine.Receiver.Counters;
        Assert.That((counters.Received, counters.Added, counters.Invalid), Is.EqualTo((3L, 2L, 0L)));
        await Eventually.TrueAsync(() => engine.Receiver.ActiveFeeds == 0, "the connection's feed to close");
    }

    [Test]
    public async Task Events_the_connection_starts_with_keep_their_plugin_identity_after_a_request()
    {
        using var server = new MessagesServer(Tracked);
        using var client = new OpencodeClient(new OpencodeConnection(server.Address, OpencodeConnection.DefaultUsername, "pw"));
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)], client);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        // The hello and the first event arrive before the connection needs a dispatcher; the gap after the request
        // is only noticed if the numbering seen before the request still counts.
        await plugin.WriteRawAsync(Hello("4245-abc") + "\n" + Push(1, Status(Tracked, 1)) + "\n");
        await Eventually.TrueAsync(() => engine.EventsOf(Tracked).Count == 1, "the first event stored");
        await HelloAsync(plugin);
        await plugin.WriteRawAsync(Push(4, Status(Tracked, 4)) + "\n");
        await HelloAsync(plugin);

        Assert.That(engine.Receiver.Counters.Lost, Is.EqualTo(2));
        Assert.That(engine.Receiver.ActiveFeeds, Is.EqualTo(1), "one feed for the whole connection");
        Assert.That(engine.Log.MessagesAt(LogLevel.Information).Count(m => m.Contains("plugin in opencode pid 4245 connected", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task A_state_change_is_announced_only_once_the_event_behind_it_is_readable()
    {
        await using PluginEngine engine = await PluginEngine.StartAsync(home);
        AgentStateTracker tracker = engine.Pump.Track(Tracked, Directory);
        var early = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int announced = 0;

        // What the pool does when a session goes idle: the agent is over, and whoever asks reads its events.
        tracker.Changed += (_, _) =>
        {
            int n = Interlocked.Increment(ref announced);
            int readable = engine.EventsOf(Tracked).Count;
            if (readable < n)
            {
                early.Enqueue($"change {n} announced with {readable} event(s) readable");
            }
        };
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);
        var burst = new StringBuilder(Hello("4244-abc") + "\n");
        for (int n = 1; n <= 300; n++)
        {
            burst.Append(Push(n, Status(Tracked, n))).Append('\n');
        }

        await plugin.WriteRawAsync(burst.ToString());
        await Eventually.TrueAsync(() => Volatile.Read(ref announced) == 300, "a change announced per event");

        Assert.That(early, Is.Empty);
    }

    [Test]
    public async Task An_event_seen_twice_is_kept_once_and_other_sessions_and_server_events_are_ignored()
    {
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)]);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        await plugin.WriteRawAsync(string.Join('\n',
            Hello("7-x"),
            Push(1, Status(Tracked, 1, id: "evt_same")),
            Push(2, Status(Tracked, 1, id: "evt_same")),
            Push(3, Status(Other, 2)),
            Push(4, """{"id":"evt_p","type":"plugin.added","properties":{"name":"x"}}"""),
            Push(5, """{"id":"evt_d","type":"message.part.delta","properties":{"sessionID":"ses_4f0d2b1a7ffe3kQh9Zr2Vx8TmN","messageID":"msg_1","partID":"prt_1","field":"text","delta":"hi"}}""")) + "\n");
        await HelloAsync(plugin);

        Assert.That(engine.EventsOf(Tracked).Select(e => e.Type), Is.EqualTo(new[] { "session.status" }), "one copy; deltas are applied but not stored");
        Assert.That(engine.EventsOf(Other), Is.Empty);
        PluginEventCounters counters = engine.Receiver.Counters;
        Assert.That((counters.Added, counters.Duplicates, counters.Untracked, counters.Ignored), Is.EqualTo((2L, 1L, 1L, 2L)), "added: status and delta; ignored: the hello and plugin.added");
    }

    [Test]
    public async Task Malformed_session_events_are_counted_and_logged_and_the_engine_stays_responsive()
    {
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)]);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject notAnObject = await plugin.SendRawAsync("""{"jsonrpc":"2.0","method":"session.event","params":42}""");
        await plugin.WriteRawAsync(string.Join('\n',
            """{"jsonrpc":"2.0","method":"session.event","params":[42]}""",
            """{"jsonrpc":"2.0","method":"session.event"}""",
            """{"jsonrpc":"2.0","method":"session.event","params":{"seq":1,"directory":"/x"}}""",
            """{"jsonrpc":"2.0","method":"session.event","params":{"event":{"type":"session.status"}}}""",
            """{"jsonrpc":"2.0","method":"session.event","params":{"event":{"type":"session.idle","properties":{"sessionID":"../../etc/passwd"}}}}""") + "\n");
        JsonObject notJson = await plugin.SendRawAsync("""{"jsonrpc":"2.0","method":"session.event","params":{"event":""");
        await HelloAsync(plugin);
        await plugin.WriteRawAsync(Push(6, Status(Tracked, 6)) + "\n");
        await HelloAsync(plugin);

        Assert.That(notAnObject["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidRequest), "params that are neither object nor array are not JSON-RPC: the framing replies");
        Assert.That(notJson["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.ParseError), "a line that is not JSON gets the framing's error reply");
        Assert.That(engine.Receiver.Counters.Invalid, Is.EqualTo(5));
        Assert.That(engine.EventsOf(Tracked), Has.Count.EqualTo(1), "a valid event after the bad ones is still taken");
        string[] warnings = engine.Log.MessagesAt(LogLevel.Warning).ToArray();
        Assert.That(warnings, Has.Length.EqualTo(5));
        Assert.That(warnings, Has.Some.Contains("params must be a JSON object, got array"));
        Assert.That(warnings, Has.Some.Contains("params must be a JSON object, got none"));
        Assert.That(warnings, Has.Some.Contains("no event type"));
        Assert.That(warnings, Has.Some.Contains("session.status event without a properties object"));
        Assert.That(warnings, Has.Some.Contains("invalid session id '../../etc/passwd'"));
    }

    [Test]
    public async Task An_oversized_frame_closes_only_its_own_connection()
    {
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)]);
        using RawRpcClient big = await RawRpcClient.ConnectAsync(engine.SocketPath);

        string huge = Push(1, Status(Tracked, 1, padding: new string('x', EngineRpcServer.DefaultMaxFrameBytes)));
        await big.WriteRawAsync(huge + "\n");
        JsonObject refused = await big.ReadAsync();
        string? end = await big.ReadLineOrEndAsync();
        using RawRpcClient next = await RawRpcClient.ConnectAsync(engine.SocketPath);
        await next.WriteRawAsync(Push(2, Status(Tracked, 2)) + "\n");
        await HelloAsync(next);

        Assert.That(refused["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.FrameTooLarge));
        Assert.That(end, Is.Null);
        Assert.That(engine.EventsOf(Tracked), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_plugin_that_forwards_for_another_project_is_refused()
    {
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)]);
        using RawRpcClient stranger = await RawRpcClient.ConnectAsync(engine.SocketPath);
        using RawRpcClient own = await RawRpcClient.ConnectAsync(engine.SocketPath);

        await stranger.WriteRawAsync(Hello("1-a", project: "other") + "\n" + Push(1, Status(Tracked, 1)) + "\n");
        await HelloAsync(stranger);
        await own.WriteRawAsync(Hello("2-b", project: "demo") + "\n" + Push(1, Status(Tracked, 2)) + "\n");
        await HelloAsync(own);

        IReadOnlyList<SessionEvent> stored = engine.EventsOf(Tracked);
        Assert.That(stored, Has.Count.EqualTo(1));
        Assert.That(JsonDocument.Parse(stored[0].Payload).RootElement.GetProperty("n").GetInt32(), Is.EqualTo(2), "only the own project's plugin is heard");
        Assert.That(engine.Log.MessagesAt(LogLevel.Warning), Has.Some.Contains("it forwards for project 'other', this engine serves 'demo'"));
    }

    [Test]
    public async Task A_gap_in_the_plugins_numbering_counts_the_lost_events_and_backfills_the_tracked_sessions()
    {
        using var server = new MessagesServer(Tracked);
        using var client = new OpencodeClient(new OpencodeConnection(server.Address, OpencodeConnection.DefaultUsername, "pw"));
        await using PluginEngine engine = await PluginEngine.StartAsync(home, [(Tracked, Directory)], client);
        using RawRpcClient plugin = await RawRpcClient.ConnectAsync(engine.SocketPath);

        await plugin.WriteRawAsync(string.Join('\n', Hello("9-g"), Push(1, Status(Tracked, 1)), Push(5, Status(Tracked, 5))) + "\n");
        await HelloAsync(plugin);
        await Eventually.TrueAsync(() => engine.EventsOf(Tracked).Any(e => e.Type == "message.updated"), "the backfilled message");

        Assert.That(engine.Receiver.Counters.Lost, Is.EqualTo(3));
        Assert.That(engine.Log.MessagesAt(LogLevel.Warning), Has.Some.Contains("lost 3 events"));
        Assert.That(server.Requests, Has.Some.StartsWith($"/session/{Tracked}/message"));
    }

    private static async Task HelloAsync(RawRpcClient client)
    {
        JsonObject reply = await client.CallAsync("engine.hello", new { protocol_version = 1, client = "plugin-test" });
        Assert.That(reply["result"]?["project"]?.GetValue<string>(), Is.EqualTo("demo"), reply.ToJsonString());
    }

    private static string[] SessionIds(string tag, int count) => [.. Enumerable.Range(0, count).Select(i => $"ses_{i}{tag}".PadRight(30, '0'))];

    // A hello, then count events in turn over the sessions (each numbered n = 1, 2, … within its session), all in one
    // write: the engine reads it in large reads, a burst. The plugin's sequence numbers and each event's JSON can be
    // changed per event (by its index).
    private static string SharedBurst(string source, string[] sessions, int count, Func<int, long>? sequence = null, Func<int, string, string>? change = null)
    {
        var burst = new StringBuilder(Hello(source) + "\n");
        for (int i = 0; i < count; i++)
        {
            string json = Status(sessions[i % sessions.Length], (i / sessions.Length) + 1, padding: new string('x', 200));
            burst.Append(Push(sequence?.Invoke(i) ?? i + 1, change?.Invoke(i, json) ?? json)).Append('\n');
        }

        return burst.ToString();
    }

    private static string Hello(string source, string? project = null) =>
        Push(0, new JsonObject { ["type"] = "af.plugin.loaded", ["protocol"] = 1, ["source"] = source, ["pid"] = int.Parse(source.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture), ["project"] = project }.ToJsonString());

    private static string Push(long seq, string eventJson) =>
        $$$"""{"jsonrpc":"2.0","method":"session.event","params":{"seq":{{{seq}}},"time":1795382943403,"dropped":0,"directory":"{{{Directory}}}","event":{{{eventJson}}}}}""";

    private static string Status(string session, int n, string? id = null, string padding = "") =>
        $$$"""{"id":"{{{id ?? "evt_" + Guid.NewGuid().ToString("N")}}}","type":"session.status","properties":{"sessionID":"{{{session}}}","status":{"type":"busy"},"n":{{{n}}},"pad":"{{{padding}}}"}}""";

    /// <summary>Answers <c>GET /session/:id/message</c> with one completed assistant message, like opencode.</summary>
    private sealed class MessagesServer : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly List<string> requests = [];

        public MessagesServer(string session)
        {
            int port = FreePort();
            Address = new Uri($"http://127.0.0.1:{port}/");
            listener.Prefixes.Add(Address.ToString());
            listener.Start();
            string body = $$"""[{"info":{"id":"msg_backfilled","sessionID":"{{session}}","role":"assistant","time":{"created":1,"completed":2},"finish":"stop"},"parts":[]}]""";
            _ = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync();
                    }
                    catch (HttpListenerException)
                    {
                        return;
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }

                    lock (requests)
                    {
                        requests.Add(context.Request.RawUrl ?? string.Empty);
                    }

                    byte[] bytes = Encoding.UTF8.GetBytes(body);
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public Uri Address { get; }

        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (requests)
                {
                    return [.. requests];
                }
            }
        }

        public void Dispose() => listener.Close();

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }
    }
}
