using Aetherflow.Engine.Config;
using Aetherflow.Engine.Rpc;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// Runs one project's engine with its JSON-RPC socket: takes the per-project instance lock (a second engine fails
/// fast naming the first one's pid), starts the engine, and serves it on the socket until disposed.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly EngineInstanceLock instanceLock;
    private readonly EngineRpcServer server;

    private EngineHost(AetherflowEngine engine, EngineEndpoint endpoint, EngineInstanceLock instanceLock, EngineRpcServer server)
    {
        Engine = engine;
        Endpoint = endpoint;
        this.instanceLock = instanceLock;
        this.server = server;
    }

    public AetherflowEngine Engine { get; }

    public EngineEndpoint Endpoint { get; }

    /// <summary>Starts the engine and its socket; throws <see cref="EngineAlreadyRunningException"/> if one already runs.</summary>
    public static async Task<EngineHost> StartAsync(AetherflowConfig config, EngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = EngineEndpoint.For(AetherflowPaths.From(options.Environment), config.Project);
        var instanceLock = EngineInstanceLock.Acquire(endpoint);
        AetherflowEngine? engine = null;
        EngineRpcServer? server = null;
        try
        {
            EngineComponents? components = options.Components is null ? null : await options.Components(config, options, cancellationToken).ConfigureAwait(false);
            engine = new AetherflowEngine(config, options, components);
            ILogger rpcLogger = options.LoggerFactory.CreateLogger<EngineRpcServer>();
            AetherflowEngine served = engine;
            server = new EngineRpcServer(endpoint, (peer, _) => new EngineRpcTarget(served, peer, rpcLogger), rpcLogger);
            server.Start();
            await engine.StartAsync(cancellationToken).ConfigureAwait(false);
            return new EngineHost(engine, endpoint, instanceLock, server);
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            if (engine is not null)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }

            instanceLock.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync().ConfigureAwait(false);
        await Engine.DisposeAsync().ConfigureAwait(false);
        instanceLock.Dispose();
    }
}
