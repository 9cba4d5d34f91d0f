using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Aetherflow.Benchmarks.Harness;

namespace Aetherflow.Benchmarks.Measures;

/// <summary>
/// The aetherflow-events plugin's path: <c>session.event</c> notifications over the engine socket into the pump and
/// the store, pipelined on one connection and with one connection per event.
/// </summary>
internal sealed class SocketIngest : IMeasure
{
    public const string ChildMode = "ingest-client";
    private const int Sessions = 10;
    private const string Directory = "/work/bench-project";

    public string Name => "ingest-socket";

    public string Title => "Event ingest on the engine socket";

    public string Description =>
        "A real engine host whose event pipeline is wired as for the opencode runtime (store journaling to disk, " +
        "the opencode event pump with de-duplication and state trackers, the plugin event receiver behind " +
        "`session.event`). A client process sends realistic `message.part.updated` events (step-start, a bash tool " +
        "call pending → running → completed with output, step-finish, a finished text part; 350 to 750 bytes " +
        $"per line) for {Sessions} tracked sessions, exactly as the aetherflow-events plugin frames them. The clock " +
        "runs from the client's go to the moment the store has published the last event (counted on the store's " +
        "`Appended` notification, no sleeps). Engine CPU is this process's CPU time over the same interval; the " +
        "client's is reported apart.";

    public async Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken)
    {
        using var home = new BenchHome();
        await using IngestEngine engine = await IngestEngine.StartAsync(home, new Uri("http://127.0.0.1:9/"), cancellationToken);
        int run = 0;
        foreach ((string mode, int full, double target) in new[] { ("pipelined", 300_000, 300_000.0), ("per-connection", 30_000, 30_000.0) })
        {
            Metric rate = result.Add(new Metric($"{mode}: events/s", "events/s", Target.Min(target)));
            Metric cpu = result.Add(new Metric($"{mode}: engine CPU per event", "µs"));
            Metric clientCpu = result.Add(new Metric($"{mode}: client CPU per event", "µs"));
            int count = context.Size(full);
            for (int rep = -1; rep < context.Repetitions(5); rep++)
            {
                run++;
                for (int s = 0; s < Sessions; s++)
                {
                    engine.Pump.Track(EventSamples.Session(run, s), Directory);
                }

                using LoadClient client = await LoadClient.StartAsync(ChildMode, [engine.SocketPath, mode, count.ToString(CultureInfo.InvariantCulture), run.ToString(CultureInfo.InvariantCulture)], cancellationToken);
                Task stored = engine.ExpectAsync(count);
                TimeSpan cpuBefore = ProcessStats.CpuTime();
                long start = Stopwatch.GetTimestamp();
                client.Go();
                try
                {
                    await stored.WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"{mode}: only {engine.Stored} events stored; receiver {engine.Receiver.Counters}; client: {await client.ErrorsAsync()}");
                }

                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                TimeSpan cpuUsed = ProcessStats.CpuTime() - cpuBefore;
                TimeSpan clientUsed = await client.EndAsync(cancellationToken);
                for (int s = 0; s < Sessions; s++)
                {
                    engine.Pump.Untrack(EventSamples.Session(run, s));
                }

                DeleteJournals(home);
                if (rep < 0)
                {
                    continue;
                }

                rate.Add(count / elapsed.TotalSeconds);
                cpu.Add(cpuUsed.TotalMicroseconds / count);
                clientCpu.Add(clientUsed.TotalMicroseconds / count);
                context.Log($"{mode} #{rep + 1}: {count / elapsed.TotalSeconds:0} events/s, engine {cpuUsed.TotalMicroseconds / count:0.0} µs/event");
            }

            result.Notes.Add($"{mode}: {count:N0} events per repetition, 1 warm-up + {context.Repetitions(5)} repetitions.");
        }

        await MeasureBareServerAsync(context, result, run, cancellationToken);
        run++;

        Metric pipeline = result.Add(new Metric("for comparison, in-process, no socket: engine CPU per event", "µs"));
        int direct = context.Size(300_000);
        for (int rep = -1; rep < context.Repetitions(5); rep++)
        {
            run++;
            for (int s = 0; s < Sessions; s++)
            {
                engine.Pump.Track(EventSamples.Session(run, s), Directory);
            }

            // One buffer for all of them, as the socket reads into a few large buffers: 300,000 small arrays alive
            // during the measure would make every garbage collection in it trace them, a cost the socket path has not.
            var all = new ArrayBufferWriter<byte>();
            int[] ends = new int[direct];
            for (int i = 0; i < direct; i++)
            {
                Encoding.UTF8.GetBytes(EventSamples.PluginParams(i + 1, Directory, EventSamples.Event(EventSamples.Session(run, i % Sessions), i / Sessions)), all);
                ends[i] = all.WrittenCount;
            }

            ReadOnlyMemory<byte> parameters = all.WrittenMemory;
            using Aetherflow.Engine.Opencode.Events.PluginEventFeed feed = engine.Receiver.OpenFeed("bench");
            TimeSpan cpuBefore = ProcessStats.CpuTime();
            for (int i = 0; i < direct; i++)
            {
                // As the socket does: events of one read (≈ 100 of these in a 60 KB write) are flushed together.
                int start = i == 0 ? 0 : ends[i - 1];
                feed.Enqueue(parameters[start..ends[i]]);
                if (i % 100 == 99)
                {
                    feed.Flush();
                }
            }

            feed.Flush();

            TimeSpan cpuUsed = ProcessStats.CpuTime() - cpuBefore;
            for (int s = 0; s < Sessions; s++)
            {
                engine.Pump.Untrack(EventSamples.Session(run, s));
            }

            DeleteJournals(home);
            if (rep >= 0)
            {
                pipeline.Add(cpuUsed.TotalMicroseconds / direct);
            }
        }

        result.Notes.Add("The in-process row feeds the same notifications' params straight to the plugin feed on one thread, flushing every 100 events as the socket flushes per read (parse, de-duplication, journal write, ring, state tracker, store notification): what the engine's own pipeline costs without the socket. The params are prepared in one buffer, as the socket reads into a few large ones (300,000 separate arrays made every garbage collection during the measure trace them, which inflated this row).");
        result.Notes.Add("Changes in this issue: `session.event` lines skip the StreamJsonRpc dispatch (before: 27 µs of engine CPU per event); a line is parsed once, envelope and event in one document over the socket's buffer (the envelope used to be scanned first, which cost almost as much as the parse); the events of one socket read are journaled with one `write` per session and published with one notification per session (a `SessionEventBatch`), where each event cost a `write` system call before; payloads are not validated a second time after the parse; the state tracker builds its snapshot only when someone listens and no longer re-arms its hang timer per event; de-duplication keys are hashed. A connection that only pushes events is served by the read loop alone, without building a JSON-RPC connection (its target, dispatcher and tear-down were the largest part of the engine's own work per connection).");
        result.Notes.Add("Why the pipelined target is still missed: a connection's events must be handled in order, so one connection gets one core, and per event the engine parses about 450 bytes of JSON into a document, looks up a dozen properties for the parser, the de-duplication key and the state tracker, copies the payload into the ring and the journal (the in-process row), and the socket adds reading and framing the line. 300,000 events/s would need ≈ 3 µs per event in all, well under what the pipeline alone costs (the in-process row). Getting there would take one hand-written single-pass reader that extracts everything the three consumers need, or parsing on a second core ahead of the ordered store; a real swarm sends a few hundred events a second, so the headroom shown here is two orders of magnitude.");
        result.Notes.Add("Why the per-connection target is missed: the bare-server rows run the same client against a server that only accepts, reads to the end and closes, with blocking calls on one thread; with client and server sharing this machine's two cores that alone stays at or below the target (the rows; 14,000–32,000 connections/s across runs on 2026-11-23), so no server that does anything with the event can reach it here. The engine's own cost per connection is the bare server's plus the asynchronous socket machinery every engine connection uses (epoll registration, thread-pool hand-offs; over half of it is kernel time), the event itself, and a journal write and notification per event that nothing else shares. The aetherflow-events plugin keeps one connection open, so this is the worst case, not the normal one.");
        result.Notes.Add("Whole runs of this measure on this virtual machine vary by up to ±30% from one to the next (one build measured 75,000 and 107,000 events/s pipelined ten minutes apart), more than most single changes; changes were compared interleaved in one process instead.");
        result.Notes.Add("Client CPU per event is the load generator's whole process time (start-up and building the payloads included), for context only. The per-connection client uses blocking calls on four threads, the cheapest a .NET client gets (an asynchronous client cost about as much CPU per connection as the engine and, sharing two cores with it, capped the rate).");
    }

    /// <summary>Child: <c>socket mode count run</c>.</summary>
    public static Task<int> ChildAsync(string[] args)
    {
        string socketPath = args[0];
        string mode = args[1];
        int count = int.Parse(args[2], CultureInfo.InvariantCulture);
        int run = int.Parse(args[3], CultureInfo.InvariantCulture);
        byte[][] lines = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            string session = EventSamples.Session(run, i % Sessions);
            lines[i] = Encoding.UTF8.GetBytes(EventSamples.PluginNotification(i + 1, Directory, EventSamples.Event(session, i / Sessions)) + "\n");
        }

        byte[] hello = Encoding.UTF8.GetBytes(EventSamples.PluginHello($"{Environment.ProcessId}-bench{run}", "bench") + "\n");
        return LoadClient.ServeAsync(ended => mode == "pipelined" ? PipelinedAsync(socketPath, hello, lines, ended) : PerConnectionAsync(socketPath, lines));
    }

    private static async Task PipelinedAsync(string socketPath, byte[] hello, byte[][] lines, Task ended)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        var buffer = new MemoryStream(64 * 1024);
        buffer.Write(hello);
        foreach (byte[] line in lines)
        {
            buffer.Write(line);
            if (buffer.Length >= 60 * 1024)
            {
                await socket.SendAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), SocketFlags.None);
                buffer.SetLength(0);
            }
        }

        await socket.SendAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), SocketFlags.None);

        // Stay connected until told to end: closing early must not be what makes the engine finish.
        await ended;
    }

    private static Task PerConnectionAsync(string socketPath, byte[][] lines)
    {
        // Plain system calls on a few threads: the load generator costs the machine what a C client would, so the
        // measure is of the engine rather than of the client's own socket machinery (a .NET Socket per connection
        // cost this process more processor than the engine spent serving it).
        int next = -1;
        var client = new RawUnixClient(socketPath);
        void Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < lines.Length)
            {
                client.SendAndClose(lines[i]);
            }
        }

        Thread[] workers = [.. Enumerable.Range(0, 4).Select(_ => new Thread(Worker) { IsBackground = true })];
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        return Task.Run(() =>
        {
            foreach (Thread worker in workers)
            {
                worker.Join();
            }
        });
    }

    /// <summary>
    /// The same per-connection client against a server that does nothing but accept, read to the end and close, on one
    /// thread with blocking calls: what one connection per event costs on this machine before any engine work.
    /// </summary>
    private static async Task MeasureBareServerAsync(BenchContext context, MeasureResult result, int run, CancellationToken cancellationToken)
    {
        Metric rate = result.Add(new Metric("for comparison, per-connection to a bare server (accept, read, close): connections/s", "connections/s"));
        Metric cpu = result.Add(new Metric("for comparison, per-connection to a bare server: server CPU per connection", "µs"));
        int count = context.Size(30_000);
        string socketPath = Path.Combine(Path.GetTempPath(), $"af-bare-{Environment.ProcessId}.sock");
        for (int rep = -1; rep < context.Repetitions(5); rep++)
        {
            File.Delete(socketPath);
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(64);
            using LoadClient client = await LoadClient.StartAsync(ChildMode, [socketPath, "per-connection", count.ToString(CultureInfo.InvariantCulture), run.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var server = new Thread(() =>
            {
                byte[] buffer = new byte[64 * 1024];
                for (int i = 0; i < count; i++)
                {
                    using Socket connection = listener.Accept();
                    while (connection.Receive(buffer) > 0)
                    {
                    }
                }

                served.SetResult();
            }) { IsBackground = true };
            server.Start();
            TimeSpan cpuBefore = ProcessStats.CpuTime();
            long start = Stopwatch.GetTimestamp();
            client.Go();
            await served.Task.WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            TimeSpan cpuUsed = ProcessStats.CpuTime() - cpuBefore;
            await client.EndAsync(cancellationToken);
            if (rep >= 0)
            {
                rate.Add(count / elapsed.TotalSeconds);
                cpu.Add(cpuUsed.TotalMicroseconds / count);
                context.Log($"bare server #{rep + 1}: {count / elapsed.TotalSeconds:0} connections/s, server {cpuUsed.TotalMicroseconds / count:0.0} µs/connection");
            }
        }

        File.Delete(socketPath);
    }

    private static void DeleteJournals(BenchHome home)
    {
        string folder = Path.Combine(home.Root, "state", "journals");
        if (System.IO.Directory.Exists(folder))
        {
            foreach (string file in System.IO.Directory.EnumerateFiles(folder))
            {
                File.Delete(file);
            }
        }
    }
}
