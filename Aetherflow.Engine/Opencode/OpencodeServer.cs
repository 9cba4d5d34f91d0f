using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// A managed <c>opencode serve</c>: on a free loopback port, protected by a random per-run password, started in its own
/// process group, ready only after its "listening" line and a healthy <c>GET /global/health</c>, and supervised — an
/// unexpected exit is followed by a restart with exponential backoff, announced through <see cref="StateChanged"/> so
/// the engine can show "restarting" and backfill afterwards. Stopping sends SIGTERM, then SIGKILL after a grace period.
/// </summary>
/// <remarks>
/// The user's opencode configuration is left alone: extra config comes only from <see cref="OpencodeServerOptions"/>
/// (<c>OPENCODE_CONFIG_CONTENT</c>, an isolated home). The server's permission defaults for unattended sessions are set
/// with <c>OPENCODE_PERMISSION</c>: <c>question</c> denied, <c>read</c> allowed, <c>external_directory</c> and
/// <c>doom_loop</c> from the options.
/// </remarks>
public sealed class OpencodeServer : IAsyncDisposable
{
    private const int PortAttempts = 3;

    private readonly OpencodeServerOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly string password;
    private readonly OpencodeClient probe;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock stateLock = new();
    private ServerProcess? current;
    private OpencodeServerState state = OpencodeServerState.NotStarted;
    private volatile int port;
    private int restarts;
    private Task? supervisor;
    private int startRequested;
    private int stopRequested;

    public OpencodeServer(OpencodeServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ExecutablePath);
        this.options = options;
        logger = options.Logger;
        clock = options.TimeProvider;
        password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        probe = new OpencodeClient(() => Connection, new OpencodeClientOptions { HealthTimeout = options.HealthTryTimeout, TimeProvider = clock });
    }

    /// <summary>Raised on every state change (outside any lock, on the thread that caused it).</summary>
    public event EventHandler<OpencodeServerStateChangedEventArgs>? StateChanged;

    public OpencodeServerState State
    {
        get
        {
            lock (stateLock)
            {
                return state;
            }
        }
    }

    /// <summary>Where the server listens, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{port}/");

    /// <summary>The address and credentials for clients (the password is new for every <see cref="OpencodeServer"/>).</summary>
    public OpencodeConnection Connection => new(BaseAddress, OpencodeConnection.DefaultUsername, password);

    /// <summary>The pid (and process group id) of the running server, or null.</summary>
    public int? ProcessId
    {
        get
        {
            lock (stateLock)
            {
                return current?.Id;
            }
        }
    }

    /// <summary>How many times supervision restarted the server.</summary>
    public int Restarts => Volatile.Read(ref restarts);

    /// <summary>The version the server reported in its last successful health check.</summary>
    public string? Version { get; private set; }

    /// <summary>Starts the server and returns once it is healthy.</summary>
    /// <exception cref="OpencodeServerException">It did not start; the message says why.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref startRequested, 1) == 1)
        {
            throw new InvalidOperationException("the opencode server was already started");
        }

        SetState(OpencodeServerState.Starting, null);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        ServerProcess process;
        try
        {
            process = await LaunchAsync(null, linked.Token).ConfigureAwait(false);
        }
        catch (OpencodeServerException ex)
        {
            SetState(OpencodeServerState.Failed, ex.Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            SetState(OpencodeServerState.Stopped, "the start was cancelled");
            throw;
        }

        lock (stateLock)
        {
            current = process;
        }

        DateTimeOffset runningSince = clock.GetUtcNow();
        SetState(OpencodeServerState.Running, null);
        supervisor = SuperviseAsync(process, runningSince, stopping.Token);
    }

    /// <summary>A client for this server that follows it across restarts.</summary>
    public OpencodeClient CreateClient(OpencodeClientOptions? clientOptions = null) => new(() => Connection, clientOptions);

    /// <summary>Stops supervision and the server: SIGTERM to its process group, SIGKILL after the grace period.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopRequested, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        if (supervisor is not null)
        {
            await supervisor.ConfigureAwait(false);
        }

        ServerProcess? process;
        lock (stateLock)
        {
            process = current;
            current = null;
        }

        if (process is not null)
        {
            await process.TerminateAsync(options.StopGracePeriod, clock).ConfigureAwait(false);
            logger.LogInformation("opencode server (pid {Pid}) stopped", process.Id);
            process.Dispose();
        }

        SetState(OpencodeServerState.Stopped, null);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        probe.Dispose();
        stopping.Dispose();
    }

    /// <summary>The complete environment of the server process.</summary>
    internal Dictionary<string, string> BuildEnvironment()
    {
        var environment = new Dictionary<string, string>(options.Environment ?? Hosting.HostEnvironment.FromProcess().Variables, StringComparer.Ordinal);
        if (options.IsolatedHome is string home)
        {
            string configHome = Path.Combine(home, ".config");
            environment["HOME"] = home;
            environment["XDG_CONFIG_HOME"] = configHome;
            environment["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
            environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
            environment["XDG_STATE_HOME"] = Path.Combine(home, ".local", "state");
        }

        // Inherited plugin variables could point this server's plugin at another project's engine.
        environment.Remove(OpencodeEventPlugin.SocketVariable);
        environment.Remove(OpencodeEventPlugin.ProjectVariable);
        foreach ((string name, string value) in options.ExtraEnvironment)
        {
            environment[name] = value;
        }

        if (options.EventSocketPath is { Length: > 0 } socket
            && OpencodeEventPlugin.FindInstalled(environment, options.WorkingDirectory ?? Directory.GetCurrentDirectory()) is not null)
        {
            environment[OpencodeEventPlugin.SocketVariable] = socket;
            if (options.EventProject is { Length: > 0 } project)
            {
                environment[OpencodeEventPlugin.ProjectVariable] = project;
            }
        }

        environment["OPENCODE_SERVER_PASSWORD"] = password;
        environment["OPENCODE_SERVER_USERNAME"] = OpencodeConnection.DefaultUsername;
        environment["OPENCODE_DISABLE_AUTOUPDATE"] = "1";
        environment["OPENCODE_PERMISSION"] = new JsonObject
        {
            ["question"] = "deny",
            ["read"] = "allow",
            ["external_directory"] = OpencodeJson.ActionName(options.ExternalDirectory),
            ["doom_loop"] = OpencodeJson.ActionName(options.DoomLoop),
        }.ToJsonString();
        if (options.ConfigContent is not null)
        {
            environment["OPENCODE_CONFIG_CONTENT"] = options.ConfigContent;
        }

        if (options.DisableModelsFetch)
        {
            environment["OPENCODE_DISABLE_MODELS_FETCH"] = "1";
        }

        return environment;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int free = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return free;
    }

    private static bool LooksLikePortInUse(string output) =>
        output.Contains("EADDRINUSE", StringComparison.OrdinalIgnoreCase)
        || output.Contains("ServeError", StringComparison.Ordinal)
        || output.Contains("in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts a process and waits until it is healthy; tries other ports when the port is taken.</summary>
    private async Task<ServerProcess> LaunchAsync(int? preferredPort, CancellationToken cancellationToken)
    {
        if (options.ExecutablePath.Contains('/', StringComparison.Ordinal) && !File.Exists(options.ExecutablePath))
        {
            throw new OpencodeServerException($"opencode was not found at {options.ExecutablePath}; install opencode or point the opencode binary setting at it");
        }

        PrepareIsolatedHome();
        Dictionary<string, string> environment = BuildEnvironment();
        string workingDirectory = options.WorkingDirectory ?? Directory.GetCurrentDirectory();
        if (environment.TryGetValue(OpencodeEventPlugin.SocketVariable, out string? eventSocket))
        {
            logger.LogInformation("The aetherflow-events plugin of this opencode server forwards its events to {Socket}", eventSocket);
        }
        using var deadline = new CancellationTokenSource(options.StartupTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        for (int attempt = 1; ; attempt++)
        {
            int candidate = attempt == 1 && preferredPort is int preferred ? preferred : FreePort();
            string[] arguments = ["serve", "--port", candidate.ToString(CultureInfo.InvariantCulture), "--hostname", "127.0.0.1"];
            ServerProcess process;
            try
            {
                process = ServerProcess.Start(options.ExecutablePath, arguments, environment, workingDirectory, options.LifetimeLimit, logger);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new OpencodeServerException($"could not start opencode ('{options.ExecutablePath}'): {ex.Message}; check that setsid and opencode are installed", ex);
            }

            logger.LogInformation("Starting opencode server (pid {Pid}) on port {Port} in {Directory}", process.Id, candidate, workingDirectory);
            if (options.Ledger is { } ledger)
            {
                int pid = process.Id;
                ledger.Record(pid, "opencode server", $"port {candidate.ToString(CultureInfo.InvariantCulture)}");
                _ = process.Exited.ContinueWith(_ => ledger.Forget(pid), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            try
            {
                Task ready = await Task.WhenAny(process.Listening, process.Exited).WaitAsync(linked.Token).ConfigureAwait(false);
                if (ready == process.Exited)
                {
                    int code = await process.Exited.ConfigureAwait(false);
                    string output = process.RecentOutput;
                    if (attempt < PortAttempts && LooksLikePortInUse(output))
                    {
                        logger.LogWarning("opencode could not listen on port {Port} ({Output}); trying another port", candidate, output);
                        await process.TerminateAsync(options.StopGracePeriod, clock).ConfigureAwait(false);
                        process.Dispose();
                        continue;
                    }

                    throw new OpencodeServerException(
                        $"opencode serve exited with code {code} before it was listening: {Describe(output)}; run '{options.ExecutablePath} serve' by hand to see why");
                }

                port = candidate;
                await WaitHealthyAsync(process, linked.Token).ConfigureAwait(false);
                logger.LogInformation("opencode server {Version} (pid {Pid}) is ready at {Address}", Version, process.Id, BaseAddress);
                return process;
            }
            catch (Exception ex)
            {
                await process.TerminateAsync(options.StopGracePeriod, clock).ConfigureAwait(false);
                string output = process.RecentOutput;
                process.Dispose();
                if (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new OpencodeServerException(
                        $"opencode serve was not ready within {options.StartupTimeout.TotalSeconds:0.#}s (last output: {Describe(output)}); the machine may be overloaded, or run '{options.ExecutablePath} serve' by hand to see why",
                        ex);
                }

                throw;
            }
        }
    }

    private async Task WaitHealthyAsync(ServerProcess process, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (process.Exited.IsCompleted)
            {
                throw new OpencodeServerException(
                    $"opencode serve exited with code {await process.Exited.ConfigureAwait(false)} while starting: {Describe(process.RecentOutput)}");
            }

            try
            {
                OpencodeHealth health = await probe.GetHealthAsync(cancellationToken).ConfigureAwait(false);
                if (health.Healthy)
                {
                    Version = health.Version;
                    return;
                }

                logger.LogDebug("opencode server (pid {Pid}) reports it is not healthy yet", process.Id);
            }
            catch (OpencodeApiException ex) when (ex.IsUnauthorized)
            {
                throw new OpencodeServerException($"opencode serve refused the password it was started with ({ex.Message}); is another server on port {port}?", ex);
            }
            catch (OpencodeApiException ex)
            {
                logger.LogDebug("opencode server (pid {Pid}) not ready yet: {Error}", process.Id, ex.Message);
            }

            await Task.Delay(options.HealthRetryDelay, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="first">The running server.</param>
    /// <param name="runningSince">When it became ready (a run at least <see cref="OpencodeServerOptions.StableRunTime"/> long resets the backoff).</param>
    /// <param name="cancellationToken">Cancelled by <see cref="StopAsync"/>.</param>
    private async Task SuperviseAsync(ServerProcess first, DateTimeOffset runningSince, CancellationToken cancellationToken)
    {
        ServerProcess? process = first;
        string? launchError = null;
        int failures = 0;
        try
        {
            while (true)
            {
                string reason;
                if (process is not null)
                {
                    int code = await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
                    reason = $"opencode server (pid {process.Id}) exited with code {code}: {Describe(process.RecentOutput)}";
                    if (clock.GetUtcNow() - runningSince >= options.StableRunTime)
                    {
                        failures = 0;
                    }

                    lock (stateLock)
                    {
                        current = null;
                    }

                    await process.TerminateAsync(options.StopGracePeriod, clock).ConfigureAwait(false);
                    process.Dispose();
                    process = null;
                }
                else
                {
                    reason = $"the restart failed: {launchError}";
                }

                if (failures >= options.MaxConsecutiveRestarts)
                {
                    logger.LogError("{Reason}; giving up after {Failures} restarts in a row", reason, failures);
                    SetState(OpencodeServerState.Failed, $"{reason}; gave up after {failures} restarts in a row");
                    return;
                }

                TimeSpan delay = RestartBackoff.Delay(failures, options.RestartDelay, options.MaxRestartDelay);
                failures++;
                logger.LogWarning("{Reason}; restarting in {Delay}s", reason, delay.TotalSeconds);
                // The wait is on the clock before anyone hears about it, so "restarting in N s" is exact.
                Task wait = Task.Delay(delay, clock, cancellationToken);
                SetState(OpencodeServerState.Restarting, reason, delay);
                await wait.ConfigureAwait(false);
                try
                {
                    process = await LaunchAsync(port, cancellationToken).ConfigureAwait(false);
                }
                catch (OpencodeServerException ex)
                {
                    logger.LogWarning("Restarting the opencode server failed: {Error}", ex.Message);
                    launchError = ex.Message;
                    continue;
                }

                lock (stateLock)
                {
                    current = process;
                }

                runningSince = clock.GetUtcNow();
                Interlocked.Increment(ref restarts);
                SetState(OpencodeServerState.Running, null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: StopAsync terminates the current process; a launch that was cancelled cleaned up its own.
            logger.LogDebug("Supervision of the opencode server ended because it is stopping");
        }
    }

    private void PrepareIsolatedHome()
    {
        if (options.IsolatedHome is not string home)
        {
            return;
        }

        foreach (string folder in new[] { ".config", ".local/share", ".cache", ".local/state" })
        {
            Directory.CreateDirectory(Path.Combine(home, folder));
        }

        OpencodeConfigDirectory.SeedPluginDependencies(Path.Combine(home, ".config", "opencode"));
    }

    private void SetState(OpencodeServerState next, string? reason, TimeSpan? retryIn = null)
    {
        OpencodeServerState previous;
        lock (stateLock)
        {
            previous = state;
            state = next;
        }

        var change = new OpencodeServerStateChangedEventArgs
        {
            State = next,
            PreviousState = previous,
            Reason = reason,
            Restarts = Restarts,
            RetryIn = retryIn,
            BaseAddress = port == 0 ? null : BaseAddress,
        };
        try
        {
            StateChanged?.Invoke(this, change);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "A handler of the opencode server's state change to {State} failed", next);
        }
    }

    private static string Describe(string output) => output.Length == 0 ? "no output" : output;
}
