using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Aetherflow.Benchmarks.Harness;

namespace Aetherflow.Benchmarks.Measures;

/// <summary>opencode's own event stream (<c>GET /global/event</c>, SSE) into the real pump and store.</summary>
internal sealed class SseIngest : IMeasure
{
    public const string ChildMode = "sse-server";
    private const int Sessions = 10;
    private const string Directory = "/work/bench-project";

    public string Name => "ingest-sse";

    public string Title => "Event ingest from opencode's event stream";

    public string Description =>
        "The path events take when they come from the opencode server itself: a scripted HTTP server in a separate " +
        "process serves `GET /global/event` as opencode does (`text/event-stream`, `server.connected` first, then " +
        "`data: {\"directory\",\"project\",\"payload\":{id,type,properties}}` records), carrying the same realistic " +
        $"`message.part.updated` events as the socket measure for {Sessions} tracked sessions. The engine's real " +
        "`OpencodeEventPump` (HttpClient, the BCL SSE parser, de-duplication, journaling store, state trackers) " +
        "reads it. The clock runs from the server's go to the store publishing the last event; engine CPU is this " +
        "process's CPU time over that interval.";

    public async Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken)
    {
        Metric rate = result.Add(new Metric("events/s", "events/s"));
        Metric cpu = result.Add(new Metric("engine CPU per event", "µs"));
        int count = context.Size(200_000);
        for (int rep = -1; rep < context.Repetitions(5); rep++)
        {
            int port = FreePort();
            using var home = new BenchHome();
            using LoadClient server = await LoadClient.StartAsync(ChildMode, [port.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), (rep + 2).ToString(CultureInfo.InvariantCulture)], cancellationToken);
            await using IngestEngine engine = await IngestEngine.StartAsync(home, new Uri($"http://127.0.0.1:{port}/"), cancellationToken);
            for (int s = 0; s < Sessions; s++)
            {
                engine.Pump.Track(EventSamples.Session(rep + 2, s), Directory);
            }

            engine.Pump.Start();
            await BenchEngine.UntilAsync(() => engine.Pump.IsConnected, "the pump to connect to the event stream", TimeSpan.FromSeconds(30), cancellationToken);
            Task stored = engine.ExpectAsync(count);
            TimeSpan cpuBefore = ProcessStats.CpuTime();
            long start = Stopwatch.GetTimestamp();
            server.Go();
            try
            {
                await stored.WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"only {engine.Stored} of {count} events stored; server: {await server.ErrorsAsync()}");
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            TimeSpan cpuUsed = ProcessStats.CpuTime() - cpuBefore;
            await server.EndAsync(cancellationToken);
            if (rep >= 0)
            {
                rate.Add(count / elapsed.TotalSeconds);
                cpu.Add(cpuUsed.TotalMicroseconds / count);
                context.Log($"#{rep + 1}: {count / elapsed.TotalSeconds:0} events/s, engine {cpuUsed.TotalMicroseconds / count:0.0} µs/event");
            }
        }

        result.Notes.Add($"{count:N0} events per repetition on one stream, 1 warm-up + {context.Repetitions(5)} repetitions, a fresh engine and server each time.");
        result.Notes.Add("No target of its own: opencode's event stream runs at the speed the agents produce events (a few hundred a second for a large swarm); this shows the headroom.");
    }

    /// <summary>Child: <c>port count run</c>; serves the stream to the first client, sending the events on go.</summary>
    public static Task<int> ChildAsync(string[] args)
    {
        int port = int.Parse(args[0], CultureInfo.InvariantCulture);
        int count = int.Parse(args[1], CultureInfo.InvariantCulture);
        int run = int.Parse(args[2], CultureInfo.InvariantCulture);
        var body = new MemoryStream();
        for (int i = 0; i < count; i++)
        {
            body.Write(Encoding.UTF8.GetBytes(EventSamples.GlobalSse(Directory, EventSamples.Event(EventSamples.Session(run, i % Sessions), i / Sessions))));
        }

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var accepted = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            Socket socket = await listener.AcceptSocketAsync();
            byte[] request = new byte[8192];
            int read = 0;
            while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                read += await socket.ReceiveAsync(request.AsMemory(read), SocketFlags.None);
            }

            const string Head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n" +
                "data: {\"payload\":{\"id\":\"evt_connected\",\"type\":\"server.connected\",\"properties\":{}}}\n\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(Head), SocketFlags.None);
            accepted.SetResult(socket);
        });
        return LoadClient.ServeAsync(async ended =>
        {
            using Socket socket = await accepted.Task;
            byte[] bytes = body.GetBuffer();
            for (int offset = 0; offset < body.Length; offset += 64 * 1024)
            {
                await socket.SendAsync(bytes.AsMemory(offset, (int)Math.Min(64 * 1024, body.Length - offset)), SocketFlags.None);
            }

            await ended;
            listener.Stop();
        });
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
