using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Rpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>A real engine with its socket, in an isolated test home.</summary>
public sealed class RunningEngine : IAsyncDisposable
{
    private RunningEngine(TestHome home, EngineHost host)
    {
        Home = home;
        Host = host;
    }

    public TestHome Home { get; }

    public EngineHost Host { get; }

    public string SocketPath => Host.Endpoint.SocketPath;

    public static async Task<RunningEngine> StartAsync(
        TestHome home,
        string project = "demo",
        Dictionary<string, string>? flags = null,
        Func<AetherflowConfig, EngineOptions, CancellationToken, Task<EngineComponents?>>? components = null,
        RpcLimits? limits = null,
        ILoggerFactory? logging = null)
    {
        AetherflowConfig config = LoadConfig(home, project, flags);
        var options = new EngineOptions
        {
            Environment = home.Environment,
            Headless = true,
            Components = components,
            RpcLimits = limits ?? new RpcLimits(),
            LoggerFactory = logging ?? NullLoggerFactory.Instance,
        };
        EngineHost host = await EngineHost.StartAsync(config, options, CancellationToken.None);
        return new RunningEngine(home, host);
    }

    public static AetherflowConfig LoadConfig(TestHome home, string project, Dictionary<string, string>? flags = null) =>
        ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = home.CreateProject(project),
            Environment = home.Variables,
            Flags = new Dictionary<string, string>(flags ?? []) { ["project"] = project },
        });

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
