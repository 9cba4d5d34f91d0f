using System.Collections.Concurrent;
using System.Diagnostics;
using Aetherflow.Benchmarks.Harness;
using Aetherflow.Engine.Hosting;

namespace Aetherflow.Benchmarks.Measures;

/// <summary>From a task becoming ready in the tracker to its agent's process running, in auto mode.</summary>
internal sealed class ReadyToLaunch : IMeasure
{
    public string Name => "ready-launch";

    public string Title => "Task ready to agent launched";

    public string Description =>
        "A headless engine in auto mode with the prog stand-in as its tracker (the python script the engine tests use, " +
        "following prog's CLI contract, with its own SQLite database), a git project with a bare origin, and the " +
        "`command` runtime whose agent touches a marker file named after its task and then sleeps. Each repetition " +
        "runs `prog add` and times from the moment it returns (the task is ready) to the marker's creation, seen by " +
        "a file watcher (inotify). In between: the engine notices the database change (it watches the file; " +
        "`poll_interval` stays at its 10 s default), lists ready tasks, claims one (`prog start`), creates the git " +
        "worktree and branch, renders the prompt and starts the process.";

    public async Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken)
    {
        Metric launch = result.Add(new Metric("prog add → agent process running", "ms", Target.Max(1000)));
        using var home = new BenchHome();
        await home.InitGitAsync(cancellationToken, withOrigin: true);
        string prog = Path.Combine(AppContext.BaseDirectory, "Tools", "prog");
        File.SetUnixFileMode(prog, File.GetUnixFileMode(prog) | UnixFileMode.UserExecute);
        string marks = Directory.CreateDirectory(Path.Combine(home.Root, "marks")).FullName;
        home.Variables["PROG_DB"] = Path.Combine(home.Root, "prog.db");
        home.Variables["PROG_STANDIN_NO_BACKUP"] = "1";
        home.Variables["AF_MARKS"] = marks;
        await Shell.RunAsync(prog, ["init"], home.Root, home.Variables, cancellationToken);

        var seen = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var watcher = new FileSystemWatcher(marks) { EnableRaisingEvents = true };
        watcher.Created += (_, e) => seen.TryAdd(e.Name ?? string.Empty, Stopwatch.GetTimestamp());
        int count = context.Repetitions(10);
        await using EngineHost engine = await BenchEngine.StartAsync(
            home,
            new Dictionary<string, string>
            {
                ["spawn_policy"] = "auto",
                ["task_source"] = "prog",
                ["prog_bin"] = prog,
                ["runtime"] = "command",
                ["spawn_cmd"] = "sh -c 'touch \"$AF_MARKS/$AETHERFLOW_WORK_ID\"; exec sleep 600' agent",
                ["pool_size"] = (count + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            cancellationToken);
        for (int rep = -1; rep < count; rep++)
        {
            string id = (await Shell.RunAsync(prog, ["add", $"Benchmark task {rep + 2}", "-p", home.Project], home.Root, home.Variables, cancellationToken)).Trim();
            long ready = Stopwatch.GetTimestamp();
            await BenchEngine.UntilAsync(() => seen.ContainsKey(id), $"the agent of {id} to start", TimeSpan.FromSeconds(60), cancellationToken, () => BenchEngine.Describe(engine.Engine.Snapshot));
            double ms = Stopwatch.GetElapsedTime(ready, seen[id]).TotalMilliseconds;
            if (rep >= 0)
            {
                launch.Add(ms);
                context.Log($"{id}: {ms:0} ms");
            }
        }

        result.Notes.Add($"1 warm-up task + {count} measured tasks, one at a time, each leaving its agent running (the pool has room for all).");
        result.Notes.Add("The tracker is a python script: each `prog` call the engine makes (list ready, claim) starts a python process, which is most of the time.");
    }
}
