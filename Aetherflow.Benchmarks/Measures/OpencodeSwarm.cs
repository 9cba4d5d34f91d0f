using System.Diagnostics;
using Aetherflow.Benchmarks.Harness;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.ScriptedModel;

namespace Aetherflow.Benchmarks.Measures;

/// <summary>20 and 50 concurrent real opencode agents against the scripted model: is the engine ever the bottleneck?</summary>
internal sealed class OpencodeSwarm : IMeasure
{
    public const string ChildMode = "scripted-model";

    public string Name => "opencode-swarm";

    public string Title => "A swarm of real opencode agents";

    public string Description =>
        "A headless engine on the opencode runtime, fully offline: the real opencode binary (`.tools/opencode`, the " +
        "version the tests pin) as the engine's managed server, whose only model is the scripted model server " +
        "running in a separate process. N agents are spawned at once, each with a short scripted turn (one bash tool " +
        "call, then a text answer), in its own git worktree; the clock runs until every agent has exited. Engine " +
        "CPU is this process's CPU time over that wall time (the engine with its event pump, store and trackers); " +
        "opencode's CPU (the server and the tool commands it ran) is reported for context.";

    public async Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken)
    {
        string opencode = Path.Combine(context.RepositoryRoot, ".tools", "opencode", "node_modules", ".bin", "opencode");
        if (!File.Exists(opencode))
        {
            throw new FileNotFoundException($"opencode is not installed ({opencode} is missing); run scripts/install-test-tools.sh");
        }

        using Process model = SelfProcess.Start(ChildMode);
        string config = await model.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("the scripted model did not start: " + await model.StandardError.ReadToEndAsync(cancellationToken));
        try
        {
            using var home = new BenchHome();
            await home.InitGitAsync(cancellationToken, withOrigin: true);
            home.Variables["LANG"] = "C.UTF-8";
            string isolated = Path.Combine(home.Root, "opencode-home");
            await using EngineHost engine = await BenchEngine.StartAsync(
                home,
                new Dictionary<string, string> { ["opencode_bin"] = opencode, ["pool_size"] = "1" },
                cancellationToken,
                configureOpencode: server => server with
                {
                    IsolatedHome = isolated,
                    ConfigContent = config,
                    DisableModelsFetch = true,
                    ExtraEnvironment = new Dictionary<string, string> { ["OPENCODE_DISABLE_SHARE"] = "1", ["OPENCODE_DISABLE_LSP_DOWNLOAD"] = "1" },
                    StartupTimeout = TimeSpan.FromSeconds(120),
                    LifetimeLimit = TimeSpan.FromHours(1),
                });
            if (engine.Engine.Snapshot.Warnings.Count > 0)
            {
                throw new InvalidOperationException("the engine could not start opencode: " + string.Join("; ", engine.Engine.Snapshot.Warnings));
            }

            context.Log("warm-up: 2 agents");
            _ = await RunSwarmAsync(engine, 2, model.Id, cancellationToken);
            foreach (int size in context.Quick ? new[] { 5 } : [20, 50])
            {
                Metric engineCpu = result.Add(new Metric($"{size} agents: engine CPU", "% of a core", Target.Below(10)));
                Metric wall = result.Add(new Metric($"{size} agents: wall time until all finished", "s"));
                Metric opencodeCpu = result.Add(new Metric($"{size} agents: opencode CPU (server + tools)", "% of a core"));
                (TimeSpan elapsed, TimeSpan engineUsed, TimeSpan opencodeUsed, int succeeded, int finished) = await RunSwarmAsync(engine, size, model.Id, cancellationToken);
                engineCpu.Add(engineUsed / elapsed * 100);
                wall.Add(elapsed.TotalSeconds);
                opencodeCpu.Add(opencodeUsed / elapsed * 100);
                context.Log($"{size} agents: {elapsed.TotalSeconds:0.0} s, engine {engineUsed / elapsed * 100:0.0}% of a core, opencode {opencodeUsed / elapsed * 100:0}%, {succeeded} finished their turn");
                result.Notes.Add(finished == size
                    ? $"{size} agents: all finished, {succeeded} with exit code 0; one run (a run takes minutes on this machine)."
                    : $"{size} agents: {(finished == 0 ? "none" : $"only {finished}")} of {size} had finished after {Deadline.TotalMinutes:0} minutes ({succeeded} with exit code 0), so the wall-time row is that limit. opencode, one process serving every session, kept one core busy all along (its CPU row) without getting through the turns: it, not the engine, could not keep up with {size} sessions at once on this machine. The engine's share is measured over those {Deadline.TotalMinutes:0} minutes.");
            }
        }
        finally
        {
            await model.StandardInput.WriteLineAsync("end".AsMemory(), cancellationToken);
            await model.WaitForExitAsync(cancellationToken);
        }

        result.Notes.Add("The two cores are shared by the engine, opencode (a Bun process serving every session), git and the tool commands; opencode's CPU is the limit on how fast the swarm finishes.");
        result.Notes.Add(
            "What 50 sessions do to opencode (watched during a run: its log, `ps`, `aetherflow status` against the bench engine): every worktree is " +
            "its own opencode instance, booted on first use (configuration, a file watcher, a file index, a snapshot repository), all on Bun's one " +
            "JavaScript thread. With 50 booting at once that thread stayed at 100 %, its memory passed 4 GB, `POST /session` went unanswered for " +
            "30 s (the engine's request limit; those agents were respawned and then started), and turns advanced in bursts minutes apart: two " +
            "minutes in, most agents had run their bash tool and were waiting for opencode to send the next model request. The engine answered " +
            "`status` at once throughout. Beyond about 20 agents per opencode server the server is the limit; spreading agents over several " +
            "servers is the way past it.");
    }

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    private static async Task<(TimeSpan Elapsed, TimeSpan Engine, TimeSpan Opencode, int Succeeded, int Finished)> RunSwarmAsync(EngineHost engine, int size, int modelPid, CancellationToken cancellationToken)
    {
        int[] opencodePids = [.. ProcessStats.Descendants(Environment.ProcessId).Where(pid => pid != modelPid && ProcessStats.CommandLine(pid).Contains("opencode", StringComparison.Ordinal))];
        TimeSpan OpencodeCpu() => opencodePids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + (Directory.Exists($"/proc/{pid}") ? ProcessStats.CpuTimeWithReapedChildren(pid) : TimeSpan.Zero));
        TimeSpan engineBefore = ProcessStats.CpuTime();
        TimeSpan opencodeBefore = OpencodeCpu();
        long start = Stopwatch.GetTimestamp();
        AgentInfo[] spawned = await Task.WhenAll(Enumerable.Range(0, size).Select(i =>
            engine.Engine.SpawnAsync(new SpawnRequest { Prompt = $"SCENARIO:bash agent {i}", RequestedBy = "bench" }, cancellationToken)));
        HashSet<string> ids = [.. spawned.Select(a => a.TaskId!)];
        int Finished() => engine.Engine.Snapshot.Agents.Count(a => ids.Contains(a.TaskId!) && a.Activity == AgentActivity.Exited);
        try
        {
            await BenchEngine.UntilAsync(() => Finished() == size, $"{size} agents to finish", Deadline, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported as how many finished in the time; the engine's share is measured over it all the same.
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        int succeeded = engine.Engine.Snapshot.Agents.Count(a => ids.Contains(a.TaskId!) && a.ExitCode == 0);
        return (elapsed, ProcessStats.CpuTime() - engineBefore, OpencodeCpu() - opencodeBefore, succeeded, Finished());
    }

    /// <summary>Child: runs the scripted model server, prints the opencode config for it on one line, stops on <c>end</c>.</summary>
    public static async Task<int> ChildAsync()
    {
        await using ScriptedModelServer server = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { MaxLifetime = TimeSpan.FromHours(1), RequestLogCapacity = 50 });
        Console.Out.WriteLine(server.CreateOpencodeConfig().ReplaceLineEndings(" "));
        Console.Out.Flush();
        while (Console.In.ReadLine() is { } line && line != "end")
        {
        }

        return 0;
    }
}
