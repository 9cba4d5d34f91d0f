using System.CommandLine;

namespace Aetherflow.Tui.Commands;

/// <summary><c>aetherflow stop &lt;agent&gt;</c>: stop one agent (not respawned; a pool task goes back to open).</summary>
internal static class StopCommand
{
    public static Command Create(EngineConnection engine)
    {
        var agent = new Argument<string>("agent") { Description = "The agent's name, as 'aetherflow status' shows it" };
        var json = JsonOption.Create();
        var command = new Command("stop", "Stop an agent; it is not respawned and its task goes back to open") { agent, json };
        command.SetAction((result, cancellationToken) => engine.RunAsync(result, async (client, _) =>
        {
            string name = result.GetRequiredValue(agent);
            await client.StopAgentAsync(name, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CommandOutput.Json(result, new AgentCommandResult(name, Stopping: true), CliJson.Indented.AgentCommandResult);
            }
            else
            {
                CommandOutput.Out(result).WriteLine($"stopping {name}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
