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

    // The dashboard on an engine started in this process; a failed start closes the dashboard and is reported after the
    // terminal is restored, and quitting before the engine is up waits for it and then stops it cleanly.
    private async Task<int> RunDashboardAsync(ParseResult result, AetherflowConfig config, EngineOptions options, EngineInstanceLock reservation, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        (Task<EngineHost> starting, _) = await RunDashboardWhileStartingAsync(
            result,
            () => EngineHost.StartAsync(reservation, config, options, cancellationToken),
            started => started.Engine,
            (started, close) => started.ShutdownRequested.Register(close),
            config.Project,
            "Starting the engine…",
            Dashboard(result, "local engine", config.OpencodeBin, logging) with { QuitStopsAgents = true },
            cancellationToken).ConfigureAwait(false);

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

        (Task<RemoteEngine> connecting, bool engineEnded) = await RunDashboardWhileStartingAsync(
            result,
            () => RemoteEngine.ConnectAsync(socket, socketPath, cancellationToken),
            connected => connected,
            (connected, close) => new DisconnectWatch(connected, close),
            string.Empty,
            "Connecting to the engine…",
            Dashboard(result, $"attached {socketPath}", opencodeBin ?? OpencodeBin(result), null),
            cancellationToken).ConfigureAwait(false);

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
            if (engineEnded)
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

    // Runs the dashboard on this thread while start() brings its engine up on the thread pool once the first frame is
    // drawn (before it, the two would only compete for the processor); a "starting" stand-in shows meanwhile.
    // closeWhen ties the engine's own end (engine.shutdown, a lost connection) to closing the dashboard, as does a failed
    // start. Returns the start, complete, and whether the engine ended the dashboard; an engine that came up after the
    // dashboard failed is disposed here.
    private async Task<(Task<T> Started, bool EngineEnded)> RunDashboardWhileStartingAsync<T>(
        ParseResult result,
        Func<Task<T>> start,
        Func<T, IEngine> engineOf,
        Func<T, Action, IDisposable> closeWhen,
        string project,
        string activity,
        DashboardOptions dashboard,
        CancellationToken cancellationToken)
        where T : IAsyncDisposable
    {
        var firstFrame = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<T> starting = Task.Run(
            async () =>
            {
                await firstFrame.Task.ConfigureAwait(false);
                return await start().ConfigureAwait(false);
            },
            CancellationToken.None);
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IDisposable? engineEnd = null;
        Task watch = starting.ContinueWith(
            started =>
            {
                if (started.IsCompletedSuccessfully)
                {
                    engineEnd = closeWhen(started.Result, quit.Cancel);
                }
                else
                {
                    quit.Cancel();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var engine = new StartingEngine(EngineOf(starting, engineOf), project, activity);
        bool color = host.ColorAllowed(result.GetValue(globals.NoColor), outputRedirected: false);
        bool ran = false;
        try
        {
            DashboardRunner.Run(engine, Theme.Create(color), host.TimeProvider, dashboard with { FirstFrame = firstFrame }, host.Environment, quit.Token);
            ran = true;
        }
        finally
        {
            // The watch stops before quit is disposed: an engine ending later must not cancel a disposed source.
            await watch.ConfigureAwait(false);
            engineEnd?.Dispose();
            if (!ran && starting.IsCompletedSuccessfully)
            {
                await starting.Result.DisposeAsync().ConfigureAwait(false);
            }
        }

        return (starting, quit.IsCancellationRequested && !cancellationToken.IsCancellationRequested);
    }

    private static async Task<IEngine> EngineOf<T>(Task<T> starting, Func<T, IEngine> engineOf) => engineOf(await starting.ConfigureAwait(false));

    // Closes the dashboard when the connection to its engine is lost, until disposed.
    private sealed class DisconnectWatch : IDisposable
    {
        private readonly RemoteEngine engine;
        private readonly Action close;

        public DisconnectWatch(RemoteEngine engine, Action close)
        {
            this.engine = engine;
            this.close = close;
            engine.Disconnected += OnDisconnected;
        }

        public void Dispose() => engine.Disconnected -= OnDisconnected;

        private void OnDisconnected(object? sender, string reason) => close();
    }

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
