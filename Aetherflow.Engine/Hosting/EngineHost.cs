using Aetherflow.Engine.Config;
using Aetherflow.Engine.Rpc;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// Runs one project's engine with its JSON-RPC socket: takes the per-project instance lock (a second engine fails
/// fast naming the first one's pid), starts the engine, and serves it on the socket until disposed.
/// </summary>
public sealed class EngineHost : IAsyncDisposable, IEngineLifetime
{
    private readonly EngineInstanceLock instanceLock;
    private readonly EngineRpcServer server;
    private readonly CancellationTokenSource shutdown = new();
    private readonly ILogger logger;

    private EngineHost(AetherflowEngine engine, EngineEndpoint endpoint, EngineInstanceLock instanceLock, EngineRpcServer server, ILogger logger)
    {
        this.logger = logger;
        Engine = engine;
        Endpoint = endpoint;
        this.instanceLock = instanceLock;
        this.server = server;
    }

    public AetherflowEngine Engine { get; }

    public EngineEndpoint Endpoint { get; }

    /// <summary>Fires when a client asked the engine to stop (<c>engine.shutdown</c>).</summary>
    public CancellationToken ShutdownRequested => shutdown.Token;

    /// <inheritdoc/>
    public void RequestShutdown(string requestedBy)
    {
        logger.LogWarning("Shutdown requested by {RequestedBy}", requestedBy);
        shutdown.Cancel();
    }

    /// <summary>Starts the engine and its socket; throws <see cref="EngineAlreadyRunningException"/> if one already runs.</summary>
    public static async Task<EngineHost> StartAsync(AetherflowConfig config, EngineOptions options, CancellationToken cancellationToken) =>
        await StartAsync(Reserve(config, options), config, options, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Takes the project's instance lock now, so a caller knows at once (and cheaply) whether this process will run the
    /// engine, before the slower start; throws <see cref="EngineAlreadyRunningException"/> if one already runs. Pass the
    /// lock to <see cref="StartAsync(EngineInstanceLock, AetherflowConfig, EngineOptions, CancellationToken)"/>.
    /// </summary>
    public static EngineInstanceLock Reserve(AetherflowConfig config, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        return EngineInstanceLock.Acquire(EngineEndpoint.For(AetherflowPaths.From(options.Environment), config.Project));
    }

    /// <summary>
    /// Starts the engine and its socket under a lock taken with <see cref="Reserve"/>. The host owns the lock from now
    /// on: it is released when the host is disposed, or here if the start fails.
    /// </summary>
    public static async Task<EngineHost> StartAsync(EngineInstanceLock instanceLock, AetherflowConfig config, EngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceLock);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        EngineEndpoint endpoint = instanceLock.Endpoint;
        AetherflowEngine? engine = null;
        EngineRpcServer? server = null;
        try
        {
            EngineComponents? components = options.Components is null ? null : await options.Components(config, options, cancellationToken).ConfigureAwait(false);
            engine = new AetherflowEngine(config, options, components);
            ILogger rpcLogger = options.LoggerFactory.CreateLogger<EngineRpcServer>();
            AetherflowEngine served = engine;
            EngineHost? host = null;
            server = new EngineRpcServer(
                endpoint,
                (peer, rpc, sessionEvents) => new EngineRpcTarget(served, peer, rpc, host, options.TimeProvider, rpcLogger, options.RpcLimits, sessionEvents),
                components?.PluginEvents,
                rpcLogger,
                options.RpcLimits.MaxFrameBytes,
                options.TimeProvider);
            host = new EngineHost(engine, endpoint, instanceLock, server, options.LoggerFactory.CreateLogger<EngineHost>());
            server.Start();
            await engine.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
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

    /// <summary>Stops the engine (agents first), then the socket, then releases the project.</summary>
    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        await server.DisposeAsync().ConfigureAwait(false);
        instanceLock.Dispose();
        shutdown.Dispose();
    }
}
