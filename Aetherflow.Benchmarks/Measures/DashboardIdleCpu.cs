using System.Diagnostics;
using Aetherflow.Benchmarks.Harness;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;

namespace Aetherflow.Benchmarks.Measures;

/// <summary>What the real dashboard costs when 50 agents are listed and nothing happens.</summary>
internal sealed class DashboardIdleCpu : IMeasure
{
    private const int Agents = 50;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    // Uptimes under a minute change every second (and are redrawn); a swarm at rest has older agents.
    private static readonly TimeSpan AgentAge = TimeSpan.FromSeconds(65);

    public string Name => "dashboard-idle";

    public string Title => "Dashboard idle CPU with 50 agents";

    public string Description =>
        $"The built `aetherflow` executable in a real terminal (tmux, 120×40) on a git project with {Agents} agents " +
        "that are real processes doing nothing (`command` runtime, `sleep 600`). Two set-ups: the dashboard attached " +
        "to a headless engine in another process (the dashboard alone), and the default — the dashboard with its own " +
        "engine in the same process, the agents spawned through its socket. After the 50 agents are on screen and " +
        $"{Settle.TotalSeconds:0} s of rest (and once the agents are over a minute old, so their uptimes tick by the minute), the `aetherflow` process's CPU time is sampled over {Window.TotalSeconds:0} s " +
        "windows of wall time (the agents' own CPU is not included).";

    public async Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken)
    {
        if (!File.Exists(context.AetherflowExecutable))
        {
            throw new FileNotFoundException($"{context.AetherflowExecutable} is missing; build Aetherflow.Tui in Release (scripts/bench.sh does)");
        }

        int agents = context.Quick ? 10 : Agents;
        Metric attached = result.Add(new Metric("dashboard attached to a headless engine", "% of a core", Target.Below(1)));
        Metric local = result.Add(new Metric("dashboard with its engine in-process", "% of a core", Target.Below(1)));
        int windows = context.Repetitions(3);
        long agentsStarted = Stopwatch.GetTimestamp();

        using (var home = new BenchHome())
        {
            await home.InitGitAsync(cancellationToken);
            home.WriteConfig("runtime: command\nspawn_cmd: \"sh -c 'exec sleep 600' agent\"\n");
            await using EngineHost engine = await BenchEngine.StartAsync(home, null, cancellationToken);
            for (int i = 0; i < agents; i++)
            {
                agentsStarted = Stopwatch.GetTimestamp();
            await engine.Engine.SpawnAsync(new SpawnRequest { Prompt = $"idle agent {i}", RequestedBy = "bench" }, cancellationToken);
            }

            await BenchEngine.UntilAsync(() => engine.Engine.Snapshot.Agents.Count(a => a.Activity == AgentActivity.Busy) == agents, $"{agents} running agents", TimeSpan.FromMinutes(2), cancellationToken, () => BenchEngine.Describe(engine.Engine.Snapshot));
            using Tmux terminal = await Tmux.StartAsync([context.AetherflowExecutable], home.ProjectDirectory, home.Variables, 120, 40, cancellationToken);
            await SampleAsync(terminal, $"running {agents}", agentsStarted, attached, windows, context, cancellationToken);
        }

        using (var home = new BenchHome())
        {
            await home.InitGitAsync(cancellationToken);
            home.WriteConfig("runtime: command\nspawn_cmd: \"sh -c 'exec sleep 600' agent\"\n");
            using Tmux terminal = await Tmux.StartAsync([context.AetherflowExecutable], home.ProjectDirectory, home.Variables, 120, 40, cancellationToken);
            await WaitForScreenAsync(terminal, "local engine", cancellationToken);

            // The dashboard draws before its engine is up; the socket appears once the engine listens.
            await BenchEngine.UntilAsync(() => File.Exists(home.SocketPath), "the dashboard's engine to listen", TimeSpan.FromSeconds(60), cancellationToken);
            agentsStarted = Stopwatch.GetTimestamp();
            for (int i = 0; i < agents; i++)
            {
                await RpcCall.CallAsync(home.SocketPath, "spawn", $$"""{"prompt":"idle agent {{i}}"}""", cancellationToken);
            }

            await SampleAsync(terminal, $"running {agents}", agentsStarted, local, windows, context, cancellationToken);
            await terminal.SendKeysAsync("q", cancellationToken);
            await terminal.SendKeysAsync("y", cancellationToken);
        }

        result.Notes.Add("What remains: the loop wakes once a second for the clock that ages uptimes (it draws only when an uptime shown changes, once a minute for agents over a minute old), and the engine's own timers in the in-process set-up.");
        result.Notes.Add("Changes in issue 8: Terminal.Gui's main loop turned 25 times a second (a timed wait that spins before it sleeps, the cursor written and the terminal size read each turn) and its input thread polled every 20 ms the same way, about 2.5% of a core with no agent at all; now the loop sleeps until there is work and the input thread sleeps in poll() on the terminal (`Ui/Loop`). Earlier: widgets redraw only when what they show changed (the uptime tick redrew the whole table every second: 4% of a core with 10 agents), and idle thread-pool workers no longer spin before sleeping (`System.Threading.ThreadPool.UnfairSemaphoreSpinLimit: 0` in the executable's runtime configuration).");
        result.Notes.Add($"{agents} agents, {windows} windows of {Window.TotalSeconds:0} s each; percentages are CPU time ÷ wall time.");
    }

    private static async Task SampleAsync(Tmux terminal, string screenText, long agentsStarted, Metric metric, int windows, BenchContext context, CancellationToken cancellationToken)
    {
        await WaitForScreenAsync(terminal, screenText, cancellationToken);
        int pid = await terminal.PanePidAsync(cancellationToken);
        TimeSpan age = context.Quick ? TimeSpan.Zero : AgentAge - Stopwatch.GetElapsedTime(agentsStarted);
        await Task.Delay(age > Settle ? age : Settle, TimeProvider.System, cancellationToken);
        for (int i = 0; i < windows; i++)
        {
            TimeSpan before = ProcessStats.CpuTime(pid);
            long start = Stopwatch.GetTimestamp();
            await Task.Delay(Window, TimeProvider.System, cancellationToken);
            double share = (ProcessStats.CpuTime(pid) - before).TotalMilliseconds / Stopwatch.GetElapsedTime(start).TotalMilliseconds * 100;
            metric.Add(share);
            context.Log($"{metric.Name}: {share:0.00}% of a core");
        }
    }

    private static async Task WaitForScreenAsync(Tmux terminal, string text, CancellationToken cancellationToken)
    {
        string screen = string.Empty;
        try
        {
            await BenchEngine.UntilAsync(() => (screen = terminal.CaptureAsync(cancellationToken).GetAwaiter().GetResult()).Contains(text, StringComparison.Ordinal), $"'{text}' on the dashboard", TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; {(await terminal.DescribeAsync(cancellationToken)).Trim()}; the screen:\n{screen}", ex);
        }
    }
}
