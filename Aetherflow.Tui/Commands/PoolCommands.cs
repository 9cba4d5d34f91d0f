using System.CommandLine;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;
using Aetherflow.Tui.Presentation;

namespace Aetherflow.Tui.Commands;

/// <summary><c>aetherflow drain | pause | resume</c>: change the pool's mode on the running engine.</summary>
internal static class PoolCommands
{
    public static IEnumerable<Command> Create(CliHost host, GlobalOptions globals, EngineConnection engine)
    {
        yield return Create("drain", "Stop starting new tasks; crashed agents are still respawned", PoolMode.Draining, host, globals, engine);
        yield return Create("pause", "Stop starting tasks and respawning agents; running agents keep running", PoolMode.Paused, host, globals, engine);
        yield return Create("resume", "Return the pool to normal scheduling", PoolMode.Active, host, globals, engine);
    }

    private static Command Create(string name, string description, PoolMode mode, CliHost host, GlobalOptions globals, EngineConnection engine)
    {
        var json = JsonOption.Create();
        var command = new Command(name, description) { json };
        command.SetAction((result, cancellationToken) => engine.RunAsync(result, async (client, _) =>
        {
            PoolModeResult changed = await client.SetPoolModeAsync(mode, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CommandOutput.Json(result, changed, CliJson.Indented.PoolModeResult);
            }
            else
            {
                Painter paint = Terminal.Painter(result, host, globals);
                string word = changed.Mode.ToString().ToLowerInvariant();
                string painted = changed.Mode switch { PoolMode.Draining => paint.Yellow(word), PoolMode.Paused => paint.Red(word), _ => paint.Green(word) };
                CommandOutput.Out(result).WriteLine($"pool {painted} ({changed.Running} {(changed.Running == 1 ? "agent" : "agents")} running)");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
