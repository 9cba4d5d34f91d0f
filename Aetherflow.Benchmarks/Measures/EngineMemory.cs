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

        result.Notes.Add($"{Sessions} × {perSession:N0} events; the events' JSON payloads average {payload:0} bytes, so about {payload:0} of the bytes per event are the payload itself (kept as received, UTF-8).");
        double payloadMb = payload * Sessions * perSession / 1e6;
        double baseMb = baseline.Stats?.Median ?? 0;
        result.Notes.Add($"Floor: the retained payloads alone are {payloadMb:0} MB and the engine before any event {baseMb:0} MB, {payloadMb + baseMb:0} MB before a single byte of bookkeeping. With one object per event (record, payload array, ring slot ≈ 100 bytes) and one de-duplication key (≈ 140 bytes), the GC's headroom on top, the 250 MB target is not reachable for events of this size; it would take compressing payloads in memory or a smaller `event_buffer_events`.");
        result.Notes.Add("The rest per event: the event record, its slot in the ring, the de-duplication key the pump remembers per event (up to 50,000 per session), and the GC's headroom.");
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
