using System.CommandLine;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Rpc;
using StreamJsonRpc;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Runs a client command against the engine of the project: resolves the socket from the configuration (project
/// name), connects, says hello (protocol version and project checked), and turns the usual failures into one line and
/// a documented exit code.
/// </summary>
internal sealed class EngineConnection
{
    private readonly CliHost host;
    private readonly ConfigResolver resolver;

    public EngineConnection(CliHost host, ConfigResolver resolver)
    {
        this.host = host;
        this.resolver = resolver;
    }

    /// <summary>The project's configuration; from inside an agent's worktree, the main project's.</summary>
    public AetherflowConfig LoadConfig(ParseResult result) => resolver.LoadMainProject(result);

    /// <summary>The socket of the project the command line names.</summary>
    public string SocketPath(ParseResult result) => SocketPath(LoadConfig(result));

    public string SocketPath(AetherflowConfig config) =>
        EngineEndpoint.For(AetherflowPaths.From(host.Environment), config.Project).SocketPath;

    /// <summary>Connects and runs <paramref name="body"/>; errors become one line on stderr.</summary>
    public async Task<int> RunAsync(ParseResult result, Func<EngineClient, EngineIdentity, Task<int>> body, CancellationToken cancellationToken)
    {
        AetherflowConfig config;
        string socketPath;
        try
        {
            config = LoadConfig(result);
            socketPath = SocketPath(config);
        }
        catch (ConfigException ex)
        {
            return CommandOutput.Fail(result, ex.Message, ExitCodes.ConfigError);
        }

        EngineClient client;
        try
        {
            client = await EngineClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineNotRunningException ex)
        {
            return CommandOutput.Fail(result, ex.Message, ExitCodes.NoEngine);
        }

        await using (client.ConfigureAwait(false))
        {
            return await RunAsync(result, config, client, body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Says hello on an open connection, checks it, and runs <paramref name="body"/> with the usual error handling.</summary>
    public static async Task<int> RunAsync(
        ParseResult result, AetherflowConfig config, EngineClient client, Func<EngineClient, EngineIdentity, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            EngineIdentity identity = await client.HelloAsync(cancellationToken).ConfigureAwait(false);
            if (ProjectGuard.Problem(config, identity.Project, identity.ProjectDirectory) is { } problem)
            {
                return CommandOutput.Fail(result, problem);
            }

            if (identity.ProtocolVersion < BuildInfo.MinProtocolVersion)
            {
                return CommandOutput.Fail(
                    result,
                    $"the engine (pid {identity.Pid}, aetherflow {identity.BuildVersion}) speaks protocol {identity.ProtocolVersion}, this aetherflow needs {BuildInfo.MinProtocolVersion} or newer; restart the engine with this version");
            }

            return await body(client, identity).ConfigureAwait(false);
        }
        catch (RemoteInvocationException ex)
        {
            return CommandOutput.Fail(result, ex.Message);
        }
        catch (ConnectionLostException)
        {
            return CommandOutput.Fail(result, "the engine closed the connection (did it stop?)");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
    }
}
