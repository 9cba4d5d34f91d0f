using Aetherflow.Engine.Config;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>Starts a real engine host (engine + socket) in this process for a <see cref="BenchHome"/>.</summary>
internal static class BenchEngine
{
    public static AetherflowConfig LoadConfig(BenchHome home, IReadOnlyDictionary<string, string>? flags = null) =>
        ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = home.ProjectDirectory,
            Environment = home.Variables,
            Flags = new Dictionary<string, string>(flags ?? new Dictionary<string, string>()) { ["project"] = home.Project },
        });

    /// <summary>Starts the engine with the components the configuration chooses (as <c>aetherflow --headless</c> does), or <paramref name="components"/>.</summary>
    public static Task<EngineHost> StartAsync(
        BenchHome home,
        IReadOnlyDictionary<string, string>? flags,
        CancellationToken cancellationToken,
        Func<AetherflowConfig, EngineOptions, CancellationToken, Task<EngineComponents?>>? components = null,
        Func<Aetherflow.Engine.Opencode.OpencodeServerOptions, Aetherflow.Engine.Opencode.OpencodeServerOptions>? configureOpencode = null)
    {
        AetherflowConfig config = LoadConfig(home, flags);
        var options = new EngineOptions
        {
            Environment = home.Environment,
            Headless = true,
            Components = components ?? EngineComposition.CreateAsync,
            ConfigureOpencodeServer = configureOpencode,
        };
        return EngineHost.StartAsync(config, options, cancellationToken);
    }

    /// <summary>Waits (polling the snapshot, with a deadline) until <paramref name="condition"/> holds.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan timeout, CancellationToken cancellationToken, Func<string>? describe = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}{(describe is null ? string.Empty : "; " + describe())}");
            }
        }
    }

    /// <summary>The engine's agents and latest decisions in one line, for timeouts.</summary>
    public static string Describe(EngineSnapshot snapshot) =>
        $"agents: {string.Join(", ", snapshot.Agents.GroupBy(a => a.Activity).Select(g => $"{g.Count()} {g.Key}"))}; " +
        $"last decisions: {string.Join(" | ", snapshot.Decisions.TakeLast(3).Select(d => d.Message))}; warnings: {string.Join(" | ", snapshot.Warnings)}";
}
