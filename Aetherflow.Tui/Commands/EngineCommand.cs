using System.CommandLine;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Logging;
using Aetherflow.Engine.Rpc;
using Aetherflow.Tui.Ui;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// The root action: runs the engine for this project with its JSON-RPC socket, and the dashboard on top of it unless
/// <c>--headless</c> is given. SIGINT and SIGTERM stop either cleanly.
/// </summary>
internal sealed class EngineCommand
{
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

    public async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
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
        };

        EngineHost engineHost;
        try
        {
            engineHost = await EngineHost.StartAsync(config, options, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineAlreadyRunningException ex)
        {
            return CommandOutput.Fail(result, ex.Message);
        }
        catch (IOException ex)
        {
            return CommandOutput.Fail(result, $"cannot start the engine: {ex.Message}");
        }

        await using (engineHost.ConfigureAwait(false))
        {
            if (headless)
            {
                CommandOutput.Error(result).WriteLine(
                    $"aetherflow engine for project '{config.Project}' listening on {engineHost.Endpoint.SocketPath} (pid {Environment.ProcessId}); SIGINT or SIGTERM stops it");
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, engineHost.ShutdownRequested);
                await WaitForCancellationAsync(stop.Token).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            bool color = host.ColorAllowed(result.GetValue(globals.NoColor), outputRedirected: false);
            using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, engineHost.ShutdownRequested);
            DashboardRunner.Run(engineHost.Engine, Theme.Create(color), host.TimeProvider, "local engine", quit.Token);
            return ExitCodes.Success;
        }
    }

    private static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGINT/SIGTERM: the normal way a headless engine ends.
        }
    }
}
