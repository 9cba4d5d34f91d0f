using System.CommandLine;
using Aetherflow.Engine.Rpc;

namespace Aetherflow.Tui.Commands;

/// <summary><c>aetherflow shutdown [--force]</c>: stop the project's engine (refused while agents run, unless forced).</summary>
internal static class ShutdownCommand
{
    public static Command Create(EngineConnection engine)
    {
        var force = new Option<bool>("--force") { Description = "Stop even though agents are running (they are stopped gracefully first)" };
        var json = JsonOption.Create();
        var command = new Command("shutdown", "Stop the engine of this project") { force, json };
        command.SetAction((result, cancellationToken) => engine.RunAsync(result, async (client, _) =>
        {
            ShutdownResult stopping = await client.ShutdownAsync(result.GetValue(force), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CommandOutput.Json(result, stopping, CliJson.Indented.ShutdownResult);
            }
            else
            {
                CommandOutput.Out(result).WriteLine(stopping.RunningAgents == 0
                    ? "engine stopping"
                    : $"engine stopping; {stopping.RunningAgents} running {(stopping.RunningAgents == 1 ? "agent is" : "agents are")} being stopped");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
