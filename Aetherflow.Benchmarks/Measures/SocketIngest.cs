using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
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
        Metric inProcessRate = result.Add(new Metric("for comparison, in-process, no socket: events/s", "events/s"));
        Metric splitRate = result.Add(new Metric("for comparison, in-process, the sessions split over two threads (two feeds, as two connections): events/s", "events/s"));
        Metric tokenizer = result.Add(new Metric("for comparison, reading each event's JSON once with the BCL's Utf8JsonReader, building nothing: CPU per event", "µs"));
        Metric machine = result.Add(new Metric("for comparison, the machine: that reading on two threads at once, as a multiple of one thread's rate", "×"));
        int direct = context.Size(300_000);
        for (int rep = -1; rep < context.Repetitions(5); rep++)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                run++;
                (ReadOnlyMemory<byte> parameters, int[] ends)[] lanes = PrepareLanes(run, direct, threads);
                (TimeSpan elapsed, TimeSpan cpuUsed) = FeedInProcess(engine, run, lanes);
                DeleteJournals(home);
                if (rep < 0)
                {
                    continue;
                }

                (threads == 1 ? inProcessRate : splitRate).Add(direct / elapsed.TotalSeconds);
                if (threads == 1)
                {
                    pipeline.Add(cpuUsed.TotalMicroseconds / direct);
                    tokenizer.Add(Tokenize(lanes[0].parameters.Span, lanes[0].ends).TotalMicroseconds / direct);
                    machine.Add(TwoThreadScaling(lanes[0].parameters, lanes[0].ends));
                }
            }
        }

        result.Notes.Add("The in-process rows feed the same notifications' params straight to plugin feeds, flushing every 100 events as the socket flushes per read (parse, de-duplication, journal write, ring, state tracker, store notification): what the engine's own pipeline costs without the socket. On one thread, as one connection's events are handled; and with the 10 sessions split over two threads, each with a feed of its own, as the events of two connections would be. Each thread's params are prepared in one buffer, as the socket reads into a few large ones (300,000 separate arrays made every garbage collection during the measure trace them, which inflated these rows). The tokenizer row reads the same bytes once with System.Text.Json's `Utf8JsonReader` and builds nothing: the floor of any pipeline that looks at the events' JSON at all. The machine row reads them on one thread and then on two at once, each all of them: two idle processors give 2×; a host that gives this virtual machine's second processor less than a whole one gives less, and the two-thread rows above drop with it (the one-thread rows much less).");
        result.Notes.Add("Changes in this issue: `session.event` lines skip the StreamJsonRpc dispatch (before: 27 µs of engine CPU per event); a line is parsed once, envelope and event in one document over the socket's buffer; the events of one socket read are journaled with one `write` per session and published with one notification per session (a `SessionEventBatch`); payloads are not validated a second time after the parse; the state tracker builds its snapshot only when someone listens and no longer re-arms its hang timer per event. Then the allocations: values that repeat from event to event (session, message, part and tool ids, tool names) come from a small per-connection string cache instead of a new string each; de-duplication keys are hashed straight from the event's UTF-8 bytes instead of being built as strings; the event id, directory and project are read only when asked for; session ids are checked with a vectorised set test instead of a regex — 2.0 KB → 1.3 KB allocated per event, most of what is left the payload the store keeps. De-duplication keeps a session's keys as 64-bit hashes in an open-addressing table of its own instead of a general-purpose hash set of 128-bit keys and a queue (half the memory per key, one cache line per add, no entry arrays reallocated as a session grows), and a session's recent tool calls are kept in a ring whose oldest entry goes in O(1) (`RecentMap`; an ordered dictionary shifted all 50 on every new call — and the assistant text's 2,000 message roles and the log formatter's 10,000 shown parts, trimmed the same way, now use it too): about 4.6 instead of 5.0 µs per event on one thread. Then a burst on one connection is shared by threads (see `PluginEventSink`): the read loop reads the plugin's framing without parsing it (the sequence number and the first `sessionID`) and hands each event to one of two lanes (thread-pool work items that parse, store and publish); each session stays on one lane, sequence numbers are noted in the connection's order, and the hello, events naming no session, requests and the connection's end wait for the lanes. Feeds count on their own thread and report once per batch, lanes journal in large writes (when they run out of work, or every 256 events), and reads take up to 256 KiB: about 210,000 → 265,000–305,000 events/s over the socket with one lane beside a read loop that handled three sessions in ten itself, and 7–11% more with the read loop only routing to two lanes (interleaved rounds against the previous build). Per connection: the socket is accepted on a thread of its own, and a connection that has already sent its events and closed is served right there from what the socket holds (one `recv` with `MSG_DONTWAIT`, the events, `close`), without the read loop, pipes, epoll registration and thread-pool hand-offs that cost about 100 µs per connection before (132 µs of engine CPU per connection at the start of the issue). Last, the garbage collector: a session keeps its newest 64 payloads in memory instead of 256 — a payload held longer outlives the youngest generation and is copied by the collector, which was most of each collection's pause (in-process 0.45 → 0.25 µs of pause per event, and every pause stops both threads of a burst) — and journal lines are formatted straight into the batch's buffer (no JSON writer reset per event, no zeroing of the buffer per batch). Tried in the same round without a measurable effect: reading a message part's members in one pass instead of by name for de-duplication and the tracker (the document's lookups are not where the time goes), six or eight sessions in ten on the second thread, a larger socket buffer in the client.");
        result.Notes.Add("What limits one pipelined connection: its events must keep their order per session, and its plugin framing (hello, sequence numbers) and any request on it must keep the connection's order, so one connection is handled by its read loop and, in a burst, two lanes — on the two processors this machine has, shared with the load generator (under a microsecond per event, its row), the kernel's socket and journal work and the garbage collector, whose every collection stops every thread. The in-process rows show the pipeline's own rate on one thread and on two with the sessions split, without a socket; over the socket the read loop also reads, frames and routes every line, and each event is copied across to its lane. On this virtual machine one run's repetitions spread by about ±10% and whole runs by more: before the two lanes, runs had medians between 251,000 and 315,000 events/s, met in some and missed in most; the three runs of this build in the quarter hour before the one reported here had medians of 315,932, 322,988 and 277,872 events/s — the last while the host was slow (its bare-server row 38,900 connections/s against 54,000 here, its two-thread in-process row 349,000 events/s against 387,000), which also took per-connection to 25,600/s. A real swarm sends a few hundred events a second, three orders of magnitude below this.");
        result.Notes.Add("One connection per event: with both the client and the server making plain system calls, this machine does about 40,000–55,000 connect, write and close cycles a second when the server does nothing else (the bare-server rows; the client and server share the two processors). The engine's cost per connection is the bare server's (accept, two reads, close: the kernel's share dominates) plus reading the peer's credentials, the event itself (the in-process row) and a journal write that no other event shares. The aetherflow-events plugin keeps one connection open, so this is the worst case, not the normal one.");
        result.Notes.Add("Whole runs of this measure on this virtual machine vary by up to ±30% from one to the next, more than most single changes, and more when anything else runs on the machine; changes were compared interleaved, back to back.");
        result.Notes.Add("Client CPU per event is the processor the load generator used from go to end (its start-up and building the payloads beforehand are not counted), for context. The per-connection client is plain libc calls (socket, connect, write, close) on four threads, as a C client would be: a .NET `Socket` per connection cost the client more processor than the engine spent serving it, which on two shared cores capped the rate.");
    }

    // The params of the events of each lane's sessions (session i % Sessions goes to lane i % Sessions % lanes), each
    // lane's in one buffer, as the socket reads into a few large buffers: 300,000 small arrays alive during the measure
    // would make every garbage collection in it trace them, a cost the socket path has not.
    private static (ReadOnlyMemory<byte> Parameters, int[] Ends)[] PrepareLanes(int run, int count, int lanes)
    {
        var buffers = new ArrayBufferWriter<byte>[lanes];
        var ends = new List<int>[lanes];
        for (int lane = 0; lane < lanes; lane++)
        {
            buffers[lane] = new ArrayBufferWriter<byte>();
            ends[lane] = [];
        }

        for (int i = 0; i < count; i++)
        {
            int lane = i % Sessions % lanes;
            Encoding.UTF8.GetBytes(EventSamples.PluginParams(i + 1, Directory, EventSamples.Event(EventSamples.Session(run, i % Sessions), i / Sessions)), buffers[lane]);
            ends[lane].Add(buffers[lane].WrittenCount);
        }

        return [.. Enumerable.Range(0, lanes).Select(lane => (buffers[lane].WrittenMemory, ends[lane].ToArray()))];
    }

    // Feeds each lane to a plugin feed of its own on a thread of its own; returns the wall time and this process's CPU.
    private static (TimeSpan Elapsed, TimeSpan Cpu) FeedInProcess(IngestEngine engine, int run, (ReadOnlyMemory<byte> Parameters, int[] Ends)[] lanes)
    {
        for (int s = 0; s < Sessions; s++)
        {
            engine.Pump.Track(EventSamples.Session(run, s), Directory);
        }

        void Feed((ReadOnlyMemory<byte> Parameters, int[] Ends) lane)
        {
            using Aetherflow.Engine.Opencode.Events.PluginEventFeed feed = engine.Receiver.OpenFeed("bench");
            for (int i = 0; i < lane.Ends.Length; i++)
            {
                // As the socket does: events of one read (≈ 100 of these in a 60 KB write) are flushed together.
                int start = i == 0 ? 0 : lane.Ends[i - 1];
                feed.Enqueue(lane.Parameters[start..lane.Ends[i]]);
                if (i % 100 == 99)
                {
                    feed.Flush();
                }
            }
        }

        long addedBefore = engine.Receiver.Counters.Added;
        TimeSpan cpuBefore = ProcessStats.CpuTime();
        long started = Stopwatch.GetTimestamp();
        if (lanes.Length == 1)
        {
            Feed(lanes[0]);
        }
        else
        {
            Thread[] threads = [.. lanes.Select(lane => new Thread(() => Feed(lane)))];
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                thread.Join();
            }
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        TimeSpan cpu = ProcessStats.CpuTime() - cpuBefore;
        long added = engine.Receiver.Counters.Added - addedBefore;
        int sent = lanes.Sum(lane => lane.Ends.Length);
        if (added != sent)
        {
            throw new InvalidOperationException($"in-process: {added} of {sent} events were added; receiver {engine.Receiver.Counters}");
        }

        for (int s = 0; s < Sessions; s++)
        {
            engine.Pump.Untrack(EventSamples.Session(run, s));
        }

        return (elapsed, cpu);
    }

    // The floor of any pipeline that reads the events' JSON: one pass of the fastest reader over each, nothing built.
    private static TimeSpan Tokenize(ReadOnlySpan<byte> parameters, int[] ends)
    {
        TimeSpan cpuBefore = ProcessStats.CpuTime();
        ReadAll(parameters, ends);
        return ProcessStats.CpuTime() - cpuBefore;
    }

    // How many processors' worth the machine gives two threads doing the same work at once: 2 on two idle processors,
    // less when the host gives the virtual machine's second processor less than a whole one.
    private static double TwoThreadScaling(ReadOnlyMemory<byte> parameters, int[] ends)
    {
        var clock = Stopwatch.StartNew();
        ReadAll(parameters.Span, ends);
        TimeSpan one = clock.Elapsed;
        clock.Restart();
        Parallel.Invoke(() => ReadAll(parameters.Span, ends), () => ReadAll(parameters.Span, ends));
        return 2 * one.TotalSeconds / clock.Elapsed.TotalSeconds;
    }

    private static void ReadAll(ReadOnlySpan<byte> parameters, int[] ends)
    {
        int tokens = 0;
        for (int i = 0; i < ends.Length; i++)
        {
            int start = i == 0 ? 0 : ends[i - 1];
            var reader = new Utf8JsonReader(parameters[start..ends[i]]);
            while (reader.Read())
            {
                tokens++;
            }
        }

        if (tokens == 0)
        {
            throw new InvalidOperationException("no JSON was read");
        }
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
