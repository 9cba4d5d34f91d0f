using System.CommandLine;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Rpc;
using StreamJsonRpc;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Runs a client command against the engine of the project: resolves the socket from the configuration (project
/// name), connects, and turns the usual failures into one line and a documented exit code.
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

    /// <summary>The socket of the project the command line names.</summary>
    public string SocketPath(ParseResult result) =>
        EngineEndpoint.For(AetherflowPaths.From(host.Environment), resolver.Load(result).Project).SocketPath;

    /// <summary>Connects and runs <paramref name="body"/>; errors become one line on stderr.</summary>
    public async Task<int> RunAsync(ParseResult result, Func<EngineClient, Task<int>> body, CancellationToken cancellationToken)
    {
        string socketPath;
        try
        {
            socketPath = SocketPath(result);
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
            try
            {
                return await body(client).ConfigureAwait(false);
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
}
