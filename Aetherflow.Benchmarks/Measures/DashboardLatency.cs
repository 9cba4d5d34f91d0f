using System.Diagnostics;
using System.Globalization;
using Aetherflow.Benchmarks.Harness;
using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Loop;
using Terminal.Gui.App;
using Terminal.Gui.Input;

namespace Aetherflow.Benchmarks.Measures;

/// <summary>From an engine change to the frame that shows it, on the real dashboard and Terminal.Gui's real main loop.</summary>
internal sealed class DashboardLatency : IMeasure
{
    public const string ChildMode = "dashboard-latency";
    private const int Agents = 50;

    public string Name => "dashboard-latency";

    public string Title => "Event to screen latency in the dashboard";

    public string Description =>
        "The real `DashboardApp` (controller, views, redraw throttle) runs Terminal.Gui's real main loop and terminal " +
        $"driver on the real clock in a child process inside a real terminal (tmux), against an engine with {Agents} " +
        "busy agents that a benchmark thread changes at a steady rate. Each change carries a unique marker; the " +
        "latency runs from just before the engine raises its notification to the end of the first `LayoutAndDraw` " +
        "whose screen contains the marker (`IApplication.LayoutAndDrawComplete`, screen text searched). Scenarios: the " +
        "log stream of one agent (`L`) receiving its events, and the agent table receiving snapshot changes.";

    public async Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken)
    {
        foreach ((string scenario, string label, int intervalMs) in new[] { ("log", "log stream, 10 events/s", 100), ("log", "log stream, 50 events/s", 20), ("table", "agent table, 20 changes/s", 50) })
        {
            Metric latency = result.Add(new Metric($"{label}: event → frame", "ms", Target.Max(50, Statistic.P99)));
            int count = context.Size(600);
            for (int rep = 0; rep < context.Repetitions(3); rep++)
            {
                latency.AddRange(await RunChildAsync(scenario, count, intervalMs, cancellationToken));
            }

            result.Notes.Add($"{label}: {count} changes per run after a 2 s warm-up, {context.Repetitions(3)} runs (fresh process each), all latencies pooled.");
        }

        result.Notes.Add("What sets the floor: the redraw throttle (a change within 33 ms of a redraw waits for the end of that interval) and the cost of drawing, a few microseconds per cell in Terminal.Gui: the log stream redraws its whole view (120×40) for each new line because every line moves up, while a table redraws only the rows that changed. Terminal.Gui's JIT warm-up and this measure's own reading of the screen after every frame add to both.");
        result.Notes.Add("Changes in issue 8: Terminal.Gui's main loop no longer turns 25 times a second with a spinning, uninterruptible wait (posted work waited 0–40 ms for the next turn): it sleeps until work is posted, a timer is due, the terminal has input or is resized, and wakes at once (`Ui/Loop`). Tables are one view per screen row, so a changed agent redraws one row instead of the whole 200×65 table (about 40 ms). Earlier: the first change after a quiet moment is drawn at once and changes during the 33 ms after a redraw are folded into one redraw at its end.");
        result.Notes.Add("Terminals: 120×40 for the log stream, 200×65 for the table (all 50 rows visible).");
    }

    private static async Task<double[]> RunChildAsync(string scenario, int count, int intervalMs, CancellationToken cancellationToken)
    {
        string file = Path.Combine(Path.GetTempPath(), $"afbench-latency-{Guid.NewGuid():N}.txt");
        bool table = scenario == "table";
        using Tmux terminal = await Tmux.StartAsync(
            SelfProcess.CommandLine(ChildMode, file, scenario, count.ToString(CultureInfo.InvariantCulture), intervalMs.ToString(CultureInfo.InvariantCulture)),
            Path.GetTempPath(),
            new Dictionary<string, string>(),
            table ? 200 : 120,
            table ? Agents + 15 : 40,
            cancellationToken);
        await BenchEngine.UntilAsync(() => File.Exists(file), $"the {scenario} latency run to finish", TimeSpan.FromMinutes(5), cancellationToken);
        string[] lines = await File.ReadAllLinesAsync(file, cancellationToken);
        File.Delete(file);
        if (lines.Length > 0 && lines[0].StartsWith("error:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{scenario} latency run failed: {lines[0]}");
        }

        double[] samples = [.. lines.Select(l => double.Parse(l, CultureInfo.InvariantCulture))];
        if (samples.Length < count * 9 / 10)
        {
            throw new InvalidOperationException($"{scenario}: only {samples.Length} of {count} changes were seen on screen");
        }

        return samples;
    }

    /// <summary>Child (in a terminal): <c>resultFile scenario count intervalMs</c>; writes one latency (ms) per line.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        string resultFile = args[0];
        try
        {
            double[] latencies = await MeasureAsync(args[1] == "table", int.Parse(args[2], CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture)));
            await File.WriteAllLinesAsync(resultFile + ".tmp", latencies.Select(l => l.ToString("0.000", CultureInfo.InvariantCulture)));
        }
        catch (Exception ex)
        {
            await File.WriteAllTextAsync(resultFile + ".tmp", "error: " + ex.ToString().ReplaceLineEndings(" "));
        }

        File.Move(resultFile + ".tmp", resultFile);
        return 0;
    }

    private static async Task<double[]> MeasureAsync(bool table, int count, TimeSpan interval)
    {
        var engine = new ScriptedEngine(Agents);
        var pending = new Queue<(string Marker, long At)>();
        var latencies = new List<double>();
        var gate = new Lock();
        var started = new TaskCompletionSource<IApplication>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ui = new Thread(() =>
        {
            try
            {
                using DashboardTerminal terminal = DashboardTerminal.Open(TimeProvider.System, why => throw new InvalidOperationException(why));
                IApplication app = terminal.App;
                using var dashboard = new DashboardApp(app, engine, Theme.Create(true), TimeProvider.System, new DashboardOptions { EngineLabel = "bench" });
                app.LayoutAndDrawComplete += (_, _) =>
                {
                    long now = Stopwatch.GetTimestamp();
                    string screen = app.Driver!.ToString()!;
                    lock (gate)
                    {
                        // Changes show in order: stop at the first one not on screen yet.
                        while (pending.TryPeek(out (string Marker, long At) next) && screen.Contains(next.Marker, StringComparison.Ordinal))
                        {
                            pending.Dequeue();
                            latencies.Add(Stopwatch.GetElapsedTime(next.At, now).TotalMilliseconds);
                        }
                    }
                };
                app.Invoke(() =>
                {
                    if (!table)
                    {
                        dashboard.Controller.HandleKey(Key.L);
                    }

                    started.TrySetResult(app);
                });
                dashboard.Run(CancellationToken.None);
                stopped.TrySetResult();
            }
            catch (Exception ex)
            {
                started.TrySetException(ex);
                stopped.TrySetException(ex);
            }
        })
        {
            Name = "ui",
            IsBackground = true,
        };
        ui.Start();
        IApplication running = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        int warmup = (int)(TimeSpan.FromSeconds(2) / interval);
        for (int i = 0; i < warmup + count; i++)
        {
            await Task.Delay(interval, TimeProvider.System);
            string marker = string.Create(CultureInfo.InvariantCulture, $"m{i:D6}x");
            lock (gate)
            {
                if (i == warmup)
                {
                    latencies.Clear();
                }

                pending.Enqueue((marker, Stopwatch.GetTimestamp()));
            }

            if (table)
            {
                int agent = i % Agents;
                engine.Publish(s => s with { Agents = [.. s.Agents.Select((a, n) => n == agent ? a with { LastTool = "bash: " + marker } : a)] });
            }
            else
            {
                engine.Append(ScriptedEngine.AgentName(0), "make " + marker);
            }
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
        running.Invoke(() => running.RequestStop());
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lock (gate)
        {
            return [.. latencies];
        }
    }
}
