using Aetherflow.Engine.Config;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Runtimes.Opencode;
using Aetherflow.Engine.Sessions;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// Everything the opencode runtime stands on for one engine: the server (managed — started, supervised and stopped by
/// the engine — or the configured <c>server_url</c>), the client, the event pump and the runtime itself.
/// </summary>
public sealed class OpencodeBackend : IAsyncDisposable
{
    private readonly OpencodeServer? server;
    private readonly ILogger logger;

    private OpencodeBackend(OpencodeServer? server, OpencodeClient client, OpencodeEventPump pump, PluginEventReceiver pluginEvents, OpencodeRuntime runtime, string serverRef, ILogger logger)
    {
        this.server = server;
        Client = client;
        Pump = pump;
        PluginEvents = pluginEvents;
        Runtime = runtime;
        ServerRef = serverRef;
        this.logger = logger;
    }

    /// <summary>Raised when the server's or the event stream's condition changed (for the engine's warnings).</summary>
    public event EventHandler? ConditionChanged;

    public OpencodeClient Client { get; }

    public OpencodeEventPump Pump { get; }

    /// <summary>Takes the events the aetherflow-events plugin pushes over the engine socket into <see cref="Pump"/>.</summary>
    public PluginEventReceiver PluginEvents { get; }

    public OpencodeRuntime Runtime { get; }

    /// <summary>The pid of the managed server process, when there is one.</summary>
    public int? ServerProcessId => server?.ProcessId;

    /// <summary>How the registry names this server.</summary>
    public string ServerRef { get; }

    /// <summary>A problem to show in the engine's status, or null when the server and its event stream are fine.</summary>
    public string? Problem
    {
        get
        {
            if (server is { State: not OpencodeServerState.Running } managed)
            {
                return $"opencode server {managed.State.ToString().ToLowerInvariant()}";
            }

            // While the plugin still pushes events, a dropped stream loses nothing.
            return Pump.IsConnected || Pump.Connections == 0 || PluginEvents.ActiveFeeds > 0 ? null : "opencode event stream disconnected; reconnecting";
        }
    }

    /// <summary>Starts (or connects to) the server, the event stream and the runtime.</summary>
    public static async Task<OpencodeBackend> StartAsync(
        AetherflowConfig config, EngineOptions options, SessionEventStore events, SessionRegistry? registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ILogger logger = options.LoggerFactory.CreateLogger<OpencodeBackend>();
        OpencodeServer? server = null;
        OpencodeClient client;
        string serverRef;
        var clientOptions = new OpencodeClientOptions { TimeProvider = options.TimeProvider };
        if (config.ServerUrl.Length > 0)
        {
            var address = new Uri(config.ServerUrl);
            string? password = options.Environment.Get("OPENCODE_SERVER_PASSWORD");
            client = new OpencodeClient(new OpencodeConnection(address, options.Environment.Get("OPENCODE_SERVER_USERNAME") ?? OpencodeConnection.DefaultUsername, password), clientOptions);
            serverRef = address.ToString();
            logger.LogInformation("Using the opencode server at {Address} (server_url; not managed by aetherflow)", address);
        }
        else
        {
            server = new OpencodeServer(ManagedServerOptions(config, options));
            try
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OpencodeServerException ex)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw new EngineSetupException($"the opencode server did not start: {ex.Message}", ex);
            }

            client = server.CreateClient(clientOptions);
            serverRef = $"managed:{config.Project}";
            logger.LogInformation("Managed opencode server {Version} running at {Address}", server.Version, server.BaseAddress);
        }

        var pump = new OpencodeEventPump(client, events, new AgentStateTrackerOptions { HangTimeout = config.HangTimeout }, options.TimeProvider, options.LoggerFactory);
        OpencodeServer? managed = server;
        var runtime = new OpencodeRuntime(
            client,
            pump,
            new OpencodeRuntimeOptions
            {
                Project = config.Project,
                ServerRef = serverRef,
                Model = ParseModel(config.Model),
                Permissions =
                [
                    new OpencodePermissionRule("question", "*", OpencodePermissionAction.Deny),
                    new OpencodePermissionRule("external_directory", "*", ParseAction(config.PermissionExternalDirectory)),
                    new OpencodePermissionRule("doom_loop", "*", ParseAction(config.PermissionDoomLoop)),
                ],
                Registry = registry,
            },
            () => managed is null || managed.State is OpencodeServerState.Running or OpencodeServerState.Restarting or OpencodeServerState.Starting,
            options.TimeProvider,
            options.LoggerFactory.CreateLogger<OpencodeRuntime>());
        var pluginEvents = new PluginEventReceiver(pump, config.Project, options.LoggerFactory.CreateLogger<PluginEventReceiver>());
        var backend = new OpencodeBackend(server, client, pump, pluginEvents, runtime, serverRef, logger);
        pump.ConnectionChanged += (_, _) => backend.ConditionChanged?.Invoke(backend, EventArgs.Empty);
        if (server is not null)
        {
            server.StateChanged += (_, change) =>
            {
                logger.LogWarning("opencode server {From} -> {To}: {Reason}", change.PreviousState, change.State, change.Reason);
                backend.ConditionChanged?.Invoke(backend, EventArgs.Empty);
                if (change.State == OpencodeServerState.Running && change.PreviousState == OpencodeServerState.Restarting)
                {
                    _ = backend.AfterRestartAsync();
                }
            };
        }

        pump.Start();
        return backend;
    }

    private async Task AfterRestartAsync()
    {
        try
        {
            await Runtime.RecheckAfterServerRestartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OpencodeApiException or InvalidOperationException)
        {
            logger.LogError(ex, "Re-checking agents after the opencode server restarted failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        PluginEvents.Dispose();
        await Pump.DisposeAsync().ConfigureAwait(false);
        Client.Dispose();
        if (server is not null)
        {
            logger.LogInformation("Stopping the managed opencode server");
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static OpencodeServerOptions ManagedServerOptions(AetherflowConfig config, EngineOptions options)
    {
        HostEnvironment environment = EngineComposition.AgentEnvironment(options);
        string executable = ExecutableResolver.Find(config.OpencodeBin, environment)
            ?? throw new EngineSetupException(
                $"opencode is not installed ('{config.OpencodeBin}' is not on PATH): install it with 'npm install -g opencode-ai', set opencode_bin, or use 'runtime: command'");
        var serverOptions = new OpencodeServerOptions
        {
            ExecutablePath = executable,
            WorkingDirectory = config.ProjectDirectory,
            Environment = environment.Variables,
            EventSocketPath = EngineEndpoint.For(AetherflowPaths.From(options.Environment), config.Project).SocketPath,
            EventProject = config.Project,
            ExternalDirectory = ParseAction(config.PermissionExternalDirectory),
            DoomLoop = ParseAction(config.PermissionDoomLoop),
            TimeProvider = options.TimeProvider,
            Logger = options.LoggerFactory.CreateLogger<OpencodeServer>(),
            Ledger = options.Ledger,
        };
        return options.ConfigureOpencodeServer?.Invoke(serverOptions) ?? serverOptions;
    }

    private static OpencodeModelRef? ParseModel(string model)
    {
        int slash = model.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == model.Length - 1 ? null : new OpencodeModelRef(model[..slash], model[(slash + 1)..]);
    }

    private static OpencodePermissionAction ParseAction(string word) => word switch
    {
        "ask" => OpencodePermissionAction.Ask,
        "deny" => OpencodePermissionAction.Deny,
        _ => OpencodePermissionAction.Allow,
    };
}
