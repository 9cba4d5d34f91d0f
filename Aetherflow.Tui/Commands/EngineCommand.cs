using System.CommandLine;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Logging;
using Aetherflow.Engine.Rpc;
using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Startup;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// The root action: the dashboard over this project's engine — started in this process, or attached to the engine
/// that already serves the project (or the socket given with <c>--connect</c>) — or, with <c>--headless</c>, the
/// engine alone until SIGINT/SIGTERM.
/// </summary>
internal sealed class EngineCommand
{
    private static readonly TimeSpan DetachReadiness = TimeSpan.FromSeconds(60);
    private readonly CliHost host;
    private readonly ConfigResolver resolver;
    private readonly GlobalOptions globals;

    public EngineCommand(CliHost host, ConfigResolver resolver, GlobalOptions globals)
    {
        this.host = host;
        this.resolver = resolver;
        this.globals = globals;
    }

    public Option<bool> Headless { get; } = new("--headless")
    {
        Description = "Run the engine without the dashboard until SIGINT/SIGTERM; scripts and the CLI talk to it over its socket",
    };

    public Option<bool> Detach { get; } = new("--detach", "-d")
    {
        Description = "With --headless: run the engine in the background (log file and pid file) and return once it answers",
    };

    public Option<string> OnStop { get; } = new("--on-stop")
    {
        Description = "With --headless: on SIGINT/SIGTERM 'stop' running agents gracefully (default) or 'drain' (wait for them; a second signal stops them)",
        HelpName = "stop|drain",
        DefaultValueFactory = _ => "stop",
    };

    public Option<string> Connect { get; } = new("--connect")
    {
        Description = "Open the dashboard on the engine listening on this socket instead of this project's",
        HelpName = "socket",
    };

    public Option<bool> ReadOnly { get; } = new("--readonly")
    {
        Description = "Dashboard in read-only mode: every key and command that changes the swarm is disabled",
    };

    public Option<bool> NoConfirm { get; } = new("--no-confirm")
    {
        Description = "Dashboard: quit and stop agents without asking first",
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Headless);
        root.Options.Add(Detach);
        root.Options.Add(OnStop);
        root.Options.Add(Connect);
        root.Options.Add(ReadOnly);
        root.Options.Add(NoConfirm);
        OnStop.AcceptOnlyFromAmong("stop", "drain");
    }

    public async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        if (result.GetValue(Connect) is { } socket)
        {
            return await AttachAsync(result, socket, null, cancellationToken).ConfigureAwait(false);
        }

        AetherflowConfig config;
        try
        {
            config = resolver.Load(result);
        }
        catch (ConfigException ex)
        {
            return CommandOutput.Fail(result, ex.Message, ExitCodes.ConfigError);
        }

        bool headless = result.GetValue(Headless);
        if (result.GetValue(Detach))
        {
            return headless
                ? await DetachedEngine.StartAsync(result, host, config, DetachReadiness, cancellationToken).ConfigureAwait(false)
                : CommandOutput.Fail(result, "--detach only works with --headless (the dashboard needs the terminal)", ExitCodes.ConfigError);
        }

        var paths = AetherflowPaths.From(host.Environment);
        string logFile = Path.Combine(paths.ProjectStateDirectory(config.Project), "engine.log");
        using ILoggerFactory logging = headless
            ? new LineLoggerFactory(CommandOutput.Error(result), LogLevel.Information, host.TimeProvider, ownsWriter: false)
            : LineLoggerFactory.ForFile(logFile, LogLevel.Information, host.TimeProvider);
        var options = new EngineOptions
        {
            TimeProvider = host.TimeProvider,
            LoggerFactory = logging,
            Environment = host.Environment,
            Headless = headless,
            Components = EngineComposition.CreateAsync,
            CliDirectory = File.Exists(Path.Combine(AppContext.BaseDirectory, "aetherflow")) ? AppContext.BaseDirectory.TrimEnd('/') : null,
        };

        // The lock is quick to take and says whether this process runs the engine; the start itself is slower, so the
        // dashboard draws meanwhile (docs/dashboard.md).
        EngineInstanceLock reservation;
        try
        {
            reservation = EngineHost.Reserve(config, options);
        }
        catch (EngineAlreadyRunningException ex) when (!headless)
        {
            // An engine already serves this project: show its dashboard rather than fail.
            return await AttachAsync(result, ex.SocketPath, config.OpencodeBin, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineAlreadyRunningException ex)
        {
            return CommandOutput.Fail(result, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CommandOutput.Fail(result, $"cannot start the engine: {ex.Message}");
        }

        if (!headless)
        {
            return await RunDashboardAsync(result, config, options, reservation, logging, cancellationToken).ConfigureAwait(false);
        }

        EngineHost engineHost;
        try
        {
            engineHost = await EngineHost.StartAsync(reservation, config, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or EngineSetupException)
        {
            return CommandOutput.Fail(result, $"cannot start the engine: {ex.Message}");
        }

        int interrupted;
        await using (engineHost.ConfigureAwait(false))
        {
            CommandOutput.Error(result).WriteLine(
                $"aetherflow engine for project '{config.Project}' listening on {engineHost.Endpoint.SocketPath} (pid {Environment.ProcessId}); SIGINT or SIGTERM stops it");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, engineHost.ShutdownRequested);
            await WaitAsync(stop.Token).ConfigureAwait(false);

            // Stop accepting work first (no spawns, no resume), then drain or stop; `engine.shutdown --force` stops.
            bool drain = result.GetValue(OnStop) == "drain" && !engineHost.ShutdownRequested.IsCancellationRequested;
            await engineHost.Engine.StopAcceptingWorkAsync(
                drain ? PoolMode.Draining : PoolMode.Paused,
                engineHost.ShutdownRequested.IsCancellationRequested ? "engine.shutdown" : "signal",
                CancellationToken.None).ConfigureAwait(false);
            if (drain)
            {
                await DrainAsync(result, engineHost.Engine).ConfigureAwait(false);
            }

            interrupted = ReportInterrupted(result, engineHost.Engine.Snapshot);
        }

        return interrupted > 0 ? ExitCodes.AgentsInterrupted : ExitCodes.Success;
    }

    // The dashboard on an engine started in this process. The engine starts on the thread pool while the dashboard
    // draws (with a "starting" stand-in) on this thread; a failed start closes the dashboard and is reported after the
    // terminal is restored, and quitting before the engine is up waits for it and then stops it cleanly.
    private async Task<int> RunDashboardAsync(ParseResult result, AetherflowConfig config, EngineOptions options, EngineInstanceLock reservation, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var firstFrame = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The engine starts once the first frame is drawn: before it, the two would only compete for the processor.
        Task<EngineHost> starting = Task.Run(
            async () =>
            {
                await firstFrame.Task.ConfigureAwait(false);
                return await EngineHost.StartAsync(reservation, config, options, cancellationToken).ConfigureAwait(false);
            },
            CancellationToken.None);
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationTokenRegistration onShutdown = default;
        Task watch = starting.ContinueWith(
            started =>
            {
                // A failed start or an engine.shutdown from a client closes the dashboard.
                if (started.IsCompletedSuccessfully)
                {
                    onShutdown = started.Result.ShutdownRequested.Register(quit.Cancel);
                }
                else
                {
                    quit.Cancel();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var engine = new StartingEngine(EngineOf(starting), config.Project, "Starting the engine…");
        bool color = host.ColorAllowed(result.GetValue(globals.NoColor), outputRedirected: false);
        DashboardOptions dashboard = Dashboard(result, "local engine", config.OpencodeBin, logging) with { QuitStopsAgents = true, FirstFrame = firstFrame };
        bool ran = false;
        try
        {
            DashboardRunner.Run(engine, Theme.Create(color), host.TimeProvider, dashboard, host.Environment, quit.Token);
            ran = true;
        }
        finally
        {
            await watch.ConfigureAwait(false);
            onShutdown.Dispose();
            if (!ran && starting.IsCompletedSuccessfully)
            {
                await starting.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        EngineHost engineHost;
        try
        {
            engineHost = await starting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or EngineSetupException)
        {
            return CommandOutput.Fail(result, $"cannot start the engine: {ex.Message}");
        }

        int interrupted;
        await using (engineHost.ConfigureAwait(false))
        {
            interrupted = ReportInterrupted(result, engineHost.Engine.Snapshot);
        }

        return interrupted > 0 ? ExitCodes.AgentsInterrupted : ExitCodes.Success;
    }

    private static int ReportInterrupted(ParseResult result, EngineSnapshot snapshot)
    {
        int interrupted = LiveAgents(snapshot);
        if (interrupted > 0)
        {
            CommandOutput.Error(result).WriteLine($"aetherflow: stopping {interrupted} running {(interrupted == 1 ? "agent" : "agents")}; pool tasks go back to open");
        }

        return interrupted;
    }

    private static async Task<IEngine> EngineOf(Task<EngineHost> starting) => (await starting.ConfigureAwait(false)).Engine;

    private static async Task<IEngine> EngineOf(Task<RemoteEngine> connecting) => await connecting.ConfigureAwait(false);

    private async Task<int> AttachAsync(ParseResult result, string socketPath, string? opencodeBin, CancellationToken cancellationToken)
    {
        // Only the socket is connected here (so a dead one fails before the dashboard takes the terminal); JSON-RPC is
        // set up and the state read while the dashboard draws.
        System.Net.Sockets.Socket socket;
        try
        {
            socket = await EngineClient.OpenSocketAsync(socketPath, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineNotRunningException ex)
        {
            return CommandOutput.Fail(result, ex.Message, ExitCodes.NoEngine);
        }

        var firstFrame = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Set up once the first frame is drawn: before it, the two would only compete for the processor.
        Task<RemoteEngine> connecting = Task.Run(
            async () =>
            {
                await firstFrame.Task.ConfigureAwait(false);
                return await RemoteEngine.ConnectAsync(socket, socketPath, cancellationToken).ConfigureAwait(false);
            },
            CancellationToken.None);

        // The token outlives the connection: closing the connection raises Disconnected, which must not cancel a
        // disposed source.
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnDisconnected(object? sender, string reason) => quit.Cancel();
        Task watch = connecting.ContinueWith(
            connected =>
            {
                if (connected.IsCompletedSuccessfully)
                {
                    connected.Result.Disconnected += OnDisconnected;
                }
                else
                {
                    quit.Cancel();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var engine = new StartingEngine(EngineOf(connecting), string.Empty, "Connecting to the engine…");
        bool color = host.ColorAllowed(result.GetValue(globals.NoColor), outputRedirected: false);
        DashboardOptions dashboard = Dashboard(result, $"attached {socketPath}", opencodeBin ?? OpencodeBin(result), null) with { FirstFrame = firstFrame };
        bool ran = false;
        try
        {
            DashboardRunner.Run(engine, Theme.Create(color), host.TimeProvider, dashboard, host.Environment, quit.Token);
            ran = true;
        }
        finally
        {
            await watch.ConfigureAwait(false);
            if (!ran && connecting.IsCompletedSuccessfully)
            {
                connecting.Result.Disconnected -= OnDisconnected;
                await connecting.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        RemoteEngine remote;
        try
        {
            remote = await connecting.ConfigureAwait(false);
        }
        catch (EngineNotRunningException ex)
        {
            return CommandOutput.Fail(result, ex.Message, ExitCodes.NoEngine);
        }

        await using (remote.ConfigureAwait(false))
        {
            remote.Disconnected -= OnDisconnected;
            if (quit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return CommandOutput.Fail(result, $"the engine on {socketPath} went away");
            }
        }

        return ExitCodes.Success;
    }

    private DashboardOptions Dashboard(ParseResult result, string engineLabel, string opencodeBin, ILoggerFactory? logging) => new()
    {
        EngineLabel = engineLabel,
        ReadOnly = result.GetValue(ReadOnly),
        NoConfirm = result.GetValue(NoConfirm),
        Sender = DashboardOptions.SenderOf(host.Environment),
        OpencodeBin = opencodeBin,
        Logger = logging?.CreateLogger("Aetherflow.Dashboard") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
    };

    // Attached to another process's engine, 'a' still runs opencode here: use this project's opencode_bin if it reads.
    private string OpencodeBin(ParseResult result)
    {
        try
        {
            return resolver.Load(result).OpencodeBin;
        }
        catch (ConfigException)
        {
            return "opencode";
        }
    }

    // Drain: start nothing new, let running agents finish; a second signal stops them instead.
    private async Task DrainAsync(ParseResult result, IEngine engine)
    {
        int running = LiveAgents(engine.Snapshot);
        if (running == 0)
        {
            return;
        }

        CommandOutput.Error(result).WriteLine($"aetherflow: draining, waiting for {running} running {(running == 1 ? "agent" : "agents")} (signal again to stop them)");
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, EngineSnapshot snapshot)
        {
            if (LiveAgents(snapshot) == 0)
            {
                drained.TrySetResult();
            }
        }

        engine.SnapshotChanged += OnChanged;
        try
        {
            OnChanged(null, engine.Snapshot);
            CancellationToken second = host.Signals?.Second ?? CancellationToken.None;
            await drained.Task.WaitAsync(second).ConfigureAwait(false);
            CommandOutput.Error(result).WriteLine("aetherflow: drained; every agent finished");
        }
        catch (OperationCanceledException)
        {
            // A second signal: stop the agents now.
        }
        finally
        {
            engine.SnapshotChanged -= OnChanged;
        }
    }

    private static int LiveAgents(EngineSnapshot snapshot) => snapshot.Agents.Count(a => a.Activity != AgentActivity.Exited);

    private static async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGINT/SIGTERM or engine.shutdown: the normal way a headless engine ends.
        }
    }
}
