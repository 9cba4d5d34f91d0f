using System.Globalization;
using System.Runtime;
using System.Text;
using Aetherflow.Benchmarks.Harness;
using Aetherflow.Engine.Opencode.Events;

namespace Aetherflow.Benchmarks.Measures;

/// <summary>Resident memory of an engine holding 50 sessions × 10,000 events, measured in a fresh process.</summary>
internal sealed class EngineMemory : IMeasure
{
    public const string ChildMode = "memory";
    private const int Sessions = 50;
    private const int EventsPerSession = 10_000;

    public string Name => "memory";

    public string Title => "Engine memory with 50 sessions × 10,000 events";

    public string Description =>
        $"A fresh process starts a real engine host with the opencode event pipeline (as in the ingest measures), " +
        $"tracks {Sessions} sessions and feeds each {EventsPerSession:N0} realistic `message.part.updated` events " +
        "through the pump (parse, de-duplication, journal, ring buffer, state tracker) — the ring's default bound " +
        "(`event_buffer_events: 10000`), so every event is retained. After a full blocking, compacting GC it reads " +
        "`VmRSS` from `/proc/self/status`. Bytes per retained event = (RSS after − RSS of the same engine before any " +
        "event) ÷ events.";

    public async Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken)
    {
        Metric rss = result.Add(new Metric("engine RSS", "MB", Target.Max(250)));
        Metric perEvent = result.Add(new Metric("RSS per retained event", "bytes"));
        Metric managed = result.Add(new Metric("managed heap per retained event", "bytes"));
        Metric baseline = result.Add(new Metric("engine RSS before events", "MB"));
        int perSession = context.Size(EventsPerSession);
        double payload = 0;
        for (int rep = 0; rep < context.Repetitions(3); rep++)
        {
            string output = await SelfProcess.RunAsync(ChildMode, [Sessions.ToString(CultureInfo.InvariantCulture), perSession.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            Dictionary<string, double> values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('='))
                .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
            double retained = values["retained"];
            rss.Add(values["rss_after"] / 1e6);
            baseline.Add(values["rss_before"] / 1e6);
            perEvent.Add((values["rss_after"] - values["rss_before"]) / retained);
            managed.Add((values["heap_after"] - values["heap_before"]) / retained);
            payload = values["payload_bytes"] / retained;
            context.Log($"#{rep + 1}: RSS {values["rss_after"] / 1e6:0} MB ({retained:N0} events retained)");
        }

        result.Notes.Add($"{Sessions} × {perSession:N0} events; the events' JSON payloads average {payload:0} bytes ({payload * Sessions * perSession / 1e6:0} MB in all), so keeping every payload in memory would cost more than the target by itself.");
        result.Notes.Add("What keeps it under: only the newest 64 events of a session keep their payload in memory (`PayloadsInMemoryPerSession`); an older event's ring slot (≈ 60 bytes) keeps only where the journal holds its payload, and reads fetch it back from the file (the page cache, which is not the engine's memory). Each de-duplication key is an 8-byte hash in an open-addressing table (at most 16 bytes a key with the table's free room; a 16-byte hash in a general-purpose hash set and a queue before, 156 MB for this run) instead of a string. Before this issue the same run took 430 MB: one object and payload array per event (≈ 450 bytes) and a string key (≈ 140 bytes).");
        result.Notes.Add("The rest per event: the ring slot, the de-duplication key the pump remembers per event (up to 50,000 per session), the newest payloads, and the GC's headroom.");
        result.Notes.Add($"{context.Repetitions(3)} repetitions, each in a fresh process.");
    }

    /// <summary>Child: <c>sessions eventsPerSession</c>; prints <c>key=value</c> lines.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        int sessions = int.Parse(args[0], CultureInfo.InvariantCulture);
        int perSession = int.Parse(args[1], CultureInfo.InvariantCulture);
        using var home = new BenchHome();
        await using IngestEngine engine = await IngestEngine.StartAsync(home, new Uri("http://127.0.0.1:9/"), CancellationToken.None);
        string[] ids = [.. Enumerable.Range(0, sessions).Select(s => EventSamples.Session(1, s))];
        foreach (string id in ids)
        {
            engine.Pump.Track(id, "/work/bench-project");
        }

        (long rssBefore, long heapBefore) = Settle();
        long payloadBytes = 0;
        for (int i = 0; i < perSession; i++)
        {
            foreach (string id in ids)
            {
                using OpencodeEvent item = OpencodeEventParser.Parse(Encoding.UTF8.GetBytes(EventSamples.Event(id, i)));
                payloadBytes += item.PropertiesUtf8.Length;
                engine.Pump.Ingest(item);
            }
        }

        (long rssAfter, long heapAfter) = Settle();
        long retained = ids.Sum(id => (long)engine.Store.Read(id, 0, perSession * 2).Events.Count);
        Console.Out.Write(string.Create(CultureInfo.InvariantCulture, $"rss_before={rssBefore}\nrss_after={rssAfter}\nheap_before={heapBefore}\nheap_after={heapAfter}\nretained={retained}\npayload_bytes={payloadBytes}\n"));
        return 0;
    }

    private static (long Rss, long Heap) Settle()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return (ProcessStats.ResidentBytes(Environment.ProcessId), GC.GetTotalMemory(forceFullCollection: false));
    }
}
