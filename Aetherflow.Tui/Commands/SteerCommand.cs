using System.CommandLine;

namespace Aetherflow.Tui.Commands;

/// <summary><c>aetherflow steer &lt;agent&gt; "&lt;text&gt;"</c>: send a message into a running agent's session.</summary>
internal static class SteerCommand
{
    public static Command Create(EngineConnection engine)
    {
        var agent = new Argument<string>("agent") { Description = "The agent's name, as 'aetherflow status' shows it" };
        var message = new Argument<string[]>("text") { Description = "What to tell the agent (several words are joined with spaces)", Arity = ArgumentArity.OneOrMore };
        var json = JsonOption.Create();
        var command = new Command("steer", "Send a message into a running agent's session (opencode agents only)") { agent, message, json };
        command.SetAction((result, cancellationToken) => engine.RunAsync(result, async (client, _) =>
        {
            string name = result.GetRequiredValue(agent);
            string text = string.Join(' ', result.GetRequiredValue(message));
            await client.SteerAsync(name, text, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CommandOutput.Json(result, new AgentCommandResult(name, Steered: true), CliJson.Indented.AgentCommandResult);
            }
            else
            {
                CommandOutput.Out(result).WriteLine($"steered {name}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
