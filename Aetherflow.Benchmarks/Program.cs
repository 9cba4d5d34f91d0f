using Aetherflow.Benchmarks.Harness;
using Aetherflow.Benchmarks.Measures;

// The benchmark suite: scripts/bench.sh builds Release and runs this. Hidden "--child <mode>" runs are the load
// generators and clean-memory processes the measures start.
if (args is ["--child", string mode, .. string[] rest])
{
    return mode switch
    {
        StatusGetLatency.ChildMode => await StatusGetLatency.ChildAsync(rest),
        SocketIngest.ChildMode => await SocketIngest.ChildAsync(rest),
        SseIngest.ChildMode => await SseIngest.ChildAsync(rest),
        EngineMemory.ChildMode => await EngineMemory.ChildAsync(rest),
        DashboardLatency.ChildMode => await DashboardLatency.ChildAsync(rest),
        OpencodeSwarm.ChildMode => await OpencodeSwarm.ChildAsync(),
        _ => throw new ArgumentException($"unknown child mode '{mode}'"),
    };
}

IMeasure[] all =
[
    new StatusGetLatency(),
    new SocketIngest(),
    new SseIngest(),
    new EngineMemory(),
    new DashboardLatency(),
    new DashboardIdleCpu(),
    new FirstFrame(),
    new ReadyToLaunch(),
    new OpencodeSwarm(),
];

bool quick = false;
string? output = null;
string root = Directory.GetCurrentDirectory();
string? aetherflow = null;
HashSet<string>? only = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--only" when i + 1 < args.Length:
            only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--root" when i + 1 < args.Length:
            root = args[++i];
            break;
        case "--aetherflow" when i + 1 < args.Length:
            aetherflow = args[++i];
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: Aetherflow.Benchmarks [--quick] [--only name,…] [--out benchmarks.md] [--root repo] [--aetherflow path]; measures: {string.Join(", ", all.Select(m => m.Name))}");
            return 2;
    }
}

if (only is not null && only.FirstOrDefault(name => all.All(m => m.Name != name)) is { } unknown)
{
    Console.Error.WriteLine($"no measure is named '{unknown}'; measures: {string.Join(", ", all.Select(m => m.Name))}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

root = Path.GetFullPath(root);
var context = new BenchContext(quick, root, Path.GetFullPath(aetherflow ?? Path.Combine(root, "Aetherflow.Tui", "bin", "Release", "net10.0", "aetherflow")), Console.Error);
DateTimeOffset started = context.Time.GetUtcNow();
MachineInfo machine = MachineInfo.Read();
IReadOnlyList<MeasureResult> results = await new Runner(context).RunAsync(all.Where(m => only is null || only.Contains(m.Name)), cancel.Token);
string report = ReportWriter.Write(results, machine, started, context.Time.GetUtcNow() - started, quick);
if (output is null)
{
    Console.Out.Write(report);
}
else
{
    await File.WriteAllTextAsync(output, report);
    Console.Error.WriteLine($"wrote {output}");
}

return results.Any(r => r.Failure is not null) ? 1 : 0;
