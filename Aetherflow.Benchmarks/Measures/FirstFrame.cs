using System.Globalization;
using Aetherflow.Benchmarks.Harness;
using Aetherflow.Engine.Hosting;

namespace Aetherflow.Benchmarks.Measures;

/// <summary>From starting <c>aetherflow</c> to its first drawn dashboard frame, in a real terminal.</summary>
internal sealed class FirstFrame : IMeasure
{
    private const string Variable = "AETHERFLOW_FIRST_FRAME_FILE";

    public string Name => "first-frame";

    public string Title => "First frame of aetherflow";

    public string Description =>
        "The built executable is started in a real terminal (a new tmux session, 120×40) and writes the time of its " +
        $"first drawn frame to the file named by `{Variable}` (the dashboard does this only when the variable is set). " +
        "The clock runs from just before `tmux new-session` (so tmux's own start, a few milliseconds, is included) " +
        "to that time; both are the machine's wall clock. Two projects: one whose engine already runs headless (the " +
        "dashboard attaches over the socket), and a fresh git project with the built-in tracker and the `command` " +
        "runtime (the dashboard starts its own engine, on the thread pool while it draws). Build variants: the plain " +
        "Release build (JIT); a framework-dependent ReadyToRun publish (`dotnet publish -c Release -r linux-x64 " +
        "-p:PublishAot=false --self-contained false`); the self-contained ReadyToRun composite of the app and the .NET " +
        "libraries (`-p:PublishAot=false`, the shipped build before Native AOT); and what `dotnet publish -c Release -r " +
        "linux-x64` ships: a Native AOT executable.";

    private const string Shipped = "Native AOT (shipped)";

    public async Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken)
    {
        if (!File.Exists(context.AetherflowExecutable))
        {
            throw new FileNotFoundException($"{context.AetherflowExecutable} is missing; build Aetherflow.Tui in Release (scripts/bench.sh does)");
        }

        var variants = new List<(string Label, string Executable, Dictionary<string, string> Environment)>
        {
            ("Release build (JIT)", context.AetherflowExecutable, []),
        };
        string publish = Path.Combine(Path.GetTempPath(), $"afbench-publish-{Environment.ProcessId}");
        try
        {
            if (!context.Quick)
            {
                context.Log("publishing a ReadyToRun build");
                await PublishAsync(context, Path.Combine(publish, "r2r"), ["-p:PublishAot=false", "--self-contained", "false"], cancellationToken);
                variants.Add(("ReadyToRun", Path.Combine(publish, "r2r", "aetherflow"), []));
                context.Log("publishing a self-contained ReadyToRun composite build");
                await PublishAsync(context, Path.Combine(publish, "composite"), ["-p:PublishAot=false"], cancellationToken);
                variants.Add(("ReadyToRun composite, self-contained", Path.Combine(publish, "composite", "aetherflow"), []));
                context.Log("publishing the shipped build (Native AOT)");
                await PublishAsync(context, Path.Combine(publish, "aot"), [], cancellationToken);
                variants.Add((Shipped, Path.Combine(publish, "aot", "aetherflow"), []));
            }

            foreach ((string label, string executable, Dictionary<string, string> environment) in variants)
            {
                // The target is the shipped build's; the other builds are shown for comparison (the JIT build's only,
                // in a quick run, which publishes nothing).
                Target? target = label == Shipped || context.Quick ? Target.Max(400) : null;
                Metric attach = result.Add(new Metric($"{label}, engine running (attach)", "ms", target));
                Metric local = result.Add(new Metric($"{label}, own engine (built-in tracker, command runtime)", "ms", target));
                await MeasureAttachAsync(context, executable, environment, attach, cancellationToken);
                await MeasureLocalAsync(context, executable, environment, local, cancellationToken);
            }
        }
        finally
        {
            if (Directory.Exists(publish))
            {
                Directory.Delete(publish, recursive: true);
            }
        }

        result.Notes.Add($"1 warm-up start (disk cache) + {context.Repetitions(10)} measured starts per row. The target is the shipped build's; the JIT and ReadyToRun rows show what the other ways of building it would give.");
        result.Notes.Add("Where the time goes in the shipped build: nothing is loaded or compiled at run time. Starting the process, the runtime and the module initializers takes about 55 ms (`aetherflow --version` runs in 57 ms from start to exit on this machine); Terminal.Gui's initializer, which builds the library's settings from its embedded config.json and cannot be switched off, is about 30 ms of that and runs before `Main` in every command. The rest is the command line and the configuration, `Init` (the ANSI driver, its input thread, and a `bash -c \"which xclip\"` for the clipboard), the dashboard's constructor and the first layout and draw. The engine's start (own engine) or the JSON-RPC set-up and first `status.get` (attach) begin once the first frame is drawn, so they do not compete with it for the processor; until then the dashboard shows `Starting the engine…`.");
        result.Notes.Add("In the JIT and ReadyToRun rows most of the time is the runtime's type loading, not JIT: per-assembly ReadyToRun leaves cross-assembly generic code and type loads to run time, the composite image of the app and the .NET libraries resolves most of them ahead of time, Native AOT all of them. In those builds `TerminalGuiPreload` runs Terminal.Gui's module initializer (0.17–0.25 s of processor time there, binding its settings by reflection) on a background thread while the command line is parsed.");
        result.Notes.Add("What Native AOT took: source-generated JSON for every type on the socket and in `--json` output (`EngineJsonContext`, `CliJson`) with no reflection fallback, StreamJsonRpc's formatter on those options, the RPC target registered through its generated PolyType shape, and no run-time loading of Terminal.Gui; the trim and AOT analyzers make any new reflection a build error, and `NativeAotBinaryTests` drives the published binary. Publishing it takes one to three minutes (gcc links it).");
    }

    // Each publish starts from an empty intermediate folder for the runtime: ReadyToRun's incremental step would otherwise
    // reuse the other variant's precompiled assemblies (a composite part in a non-composite build fails at start).
    private static async Task PublishAsync(BenchContext context, string output, string[] options, CancellationToken cancellationToken)
    {
        string intermediate = Path.Combine(context.RepositoryRoot, "Aetherflow.Tui", "obj", "Release", "net10.0", "linux-x64");
        if (Directory.Exists(intermediate))
        {
            Directory.Delete(intermediate, recursive: true);
        }

        await Shell.RunAsync("dotnet", ["publish", Path.Combine(context.RepositoryRoot, "Aetherflow.Tui", "Aetherflow.Tui.csproj"), "-c", "Release", "-r", "linux-x64", .. options, "-o", output, "-v", "quiet", "-nologo"], context.RepositoryRoot, null, cancellationToken);
    }

    private static async Task MeasureAttachAsync(BenchContext context, string executable, Dictionary<string, string> environment, Metric metric, CancellationToken cancellationToken)
    {
        using var home = new BenchHome();
        await home.InitGitAsync(cancellationToken);
        home.WriteConfig("runtime: command\nspawn_cmd: \"sh -c 'exec sleep 600' agent\"\n");
        await using EngineHost engine = await BenchEngine.StartAsync(home, null, cancellationToken);
        for (int rep = -1; rep < context.Repetitions(10); rep++)
        {
            double ms = await StartOnceAsync(home, executable, environment, [], cancellationToken);
            if (rep >= 0)
            {
                metric.Add(ms);
            }
        }

        context.Log($"{metric.Name}: median {metric.Stats!.Median:0} ms");
    }

    private static async Task MeasureLocalAsync(BenchContext context, string executable, Dictionary<string, string> environment, Metric metric, CancellationToken cancellationToken)
    {
        using var home = new BenchHome();
        await home.InitGitAsync(cancellationToken);
        home.WriteConfig("runtime: command\nspawn_cmd: \"sh -c 'exec sleep 600' agent\"\n");
        for (int rep = -1; rep < context.Repetitions(10); rep++)
        {
            double ms = await StartOnceAsync(home, executable, environment, ["--no-confirm"], cancellationToken);
            if (rep >= 0)
            {
                metric.Add(ms);
            }
        }

        context.Log($"{metric.Name}: median {metric.Stats!.Median:0} ms");
    }

    private static async Task<double> StartOnceAsync(BenchHome home, string executable, Dictionary<string, string> environment, string[] arguments, CancellationToken cancellationToken)
    {
        string file = Path.Combine(home.Root, "first-frame.txt");
        File.Delete(file);
        var variables = new Dictionary<string, string>(home.Variables) { [Variable] = file };
        foreach ((string key, string value) in environment)
        {
            variables[key] = value;
        }

        DateTimeOffset started = TimeProvider.System.GetUtcNow();
        using Tmux terminal = await Tmux.StartAsync([executable, .. arguments], home.ProjectDirectory, variables, 120, 40, cancellationToken);
        string text = string.Empty;
        try
        {
            await BenchEngine.UntilAsync(() => File.Exists(file) && (text = File.ReadAllText(file)).EndsWith('\n'), "the first frame", TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; {(await terminal.DescribeAsync(cancellationToken)).Trim()}; screen:\n{await terminal.CaptureAsync(cancellationToken)}", ex);
        }

        DateTimeOffset drawn = DateTimeOffset.Parse(text.Trim(), CultureInfo.InvariantCulture);

        // Quit and wait until the process is gone, so the next start finds the project free.
        int pid = await terminal.PanePidAsync(cancellationToken);
        await terminal.SendKeysAsync("q", cancellationToken);
        await BenchEngine.UntilAsync(() => HasExited(pid), "aetherflow to quit", TimeSpan.FromSeconds(30), cancellationToken);
        return (drawn - started).TotalMilliseconds;
    }

    private static bool HasExited(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
