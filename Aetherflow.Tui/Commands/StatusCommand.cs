using System.CommandLine;
using System.Text.Json;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;
using Aetherflow.Tui.Presentation;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow status [agent] [-w] [--json]</c>: the engine's state, or one agent. <c>-w</c> follows changes as the
/// engine pushes them (never polling); with <c>--json</c> it prints one snapshot per line.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliHost host, GlobalOptions globals, EngineConnection engine)
    {
        var agent = new Argument<string?>("agent") { Description = "Show this agent in detail", Arity = ArgumentArity.ZeroOrOne };
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep showing the state as it changes (ctrl+c stops)" };
        var json = JsonOption.Create();
        var command = new Command("status", "Show the engine's pool, agents, queue and recent decisions") { agent, watch, json };
        command.SetAction((result, cancellationToken) => engine.RunAsync(result, async client =>
        {
            string? name = result.GetValue(agent);
            bool asJson = result.GetValue(json);
            EngineIdentity identity = await client.HelloAsync(cancellationToken).ConfigureAwait(false);
            if (!result.GetValue(watch))
            {
                EngineSnapshot snapshot = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                return Print(result, host, globals, identity, snapshot, name, asJson, clear: false);
            }

            var changed = new SemaphoreSlim(1, 1);
            client.StatusChanged += (_, _) =>
            {
                if (changed.CurrentCount == 0)
                {
                    changed.Release();
                }
            };
            await client.SubscribeAsync(cancellationToken).ConfigureAwait(false);
            if (!asJson)
            {
                CommandOutput.Error(result).WriteLine("following the engine (ctrl+c stops)");
            }

            while (!cancellationToken.IsCancellationRequested && !client.Completion.IsCompleted)
            {
                await Task.WhenAny(changed.WaitAsync(cancellationToken), client.Completion).ConfigureAwait(false);
                if (client.Completion.IsCompleted)
                {
                    return CommandOutput.Fail(result, "the engine went away");
                }

                EngineSnapshot snapshot = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                int code = Print(result, host, globals, identity, snapshot, name, asJson, clear: !asJson && Terminal.IsTerminal(result));
                if (code != ExitCodes.Success)
                {
                    return code;
                }
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static int Print(ParseResult result, CliHost host, GlobalOptions globals, EngineIdentity identity, EngineSnapshot snapshot, string? name, bool asJson, bool clear)
    {
        TextWriter output = CommandOutput.Out(result);
        DateTimeOffset now = host.TimeProvider.GetUtcNow();
        AgentInfo? selected = null;
        if (name is not null)
        {
            selected = snapshot.Agents.FirstOrDefault(a => a.Name == name) ?? snapshot.Agents.FirstOrDefault(a => a.TaskId == name);
            if (selected is null)
            {
                return CommandOutput.Fail(result, $"no agent named '{name}'; 'aetherflow status' lists them");
            }
        }

        if (asJson)
        {
            // One document per line, so `-w --json` is a stream a script can read line by line.
            output.WriteLine(selected is null ? JsonSerializer.Serialize(snapshot, EngineJson.Options) : JsonSerializer.Serialize(selected, EngineJson.Options));
            output.Flush();
            return ExitCodes.Success;
        }

        Painter paint = Terminal.Painter(result, host, globals);
        string text = selected is null ? StatusText.Overview(identity, snapshot, now, paint, Terminal.Width(result)) : StatusText.Agent(selected, now, paint);
        output.Write((clear ? "\u001b[H\u001b[2J" : string.Empty) + text);
        output.Flush();
        return ExitCodes.Success;
    }
}
