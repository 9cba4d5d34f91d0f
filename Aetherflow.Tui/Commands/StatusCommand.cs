using System.CommandLine;
using System.Text.Json;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;
using Aetherflow.Tui.Presentation;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow status [agent] [-w] [--json]</c>: the engine's state, or one agent in detail with its tool calls.
/// <c>-w</c> follows changes as the engine pushes them (never polling); with <c>--json</c> it prints one document per
/// line.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliHost host, GlobalOptions globals, EngineConnection engine)
    {
        var agent = new Argument<string?>("agent") { Description = "Show this agent (name, task or spawn id) in detail", Arity = ArgumentArity.ZeroOrOne };
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep showing the state as it changes (ctrl+c stops)" };
        var limit = new Option<int>("--limit")
        {
            Description = "With an agent: show its last N tool calls (0: all)",
            HelpName = "N",
            DefaultValueFactory = _ => 20,
        };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--limit must be 0 (all) or more");
            }
        });
        var json = JsonOption.Create();
        var command = new Command("status", "Show the engine's pool, agents, queue and recent decisions, or one agent") { agent, watch, limit, json };
        command.SetAction((result, cancellationToken) => engine.RunAsync(result, async (client, identity) =>
        {
            var view = new View(result, host, globals, identity, result.GetValue(agent), result.GetValue(limit), result.GetValue(json));
            if (!result.GetValue(watch))
            {
                return await view.PrintAsync(client, clear: false, cancellationToken).ConfigureAwait(false);
            }

            using var changes = new EngineWatch(client);
            await client.SubscribeAsync(new SubscribeRequest { Topics = ["status"] }, cancellationToken).ConfigureAwait(false);
            if (!view.Json)
            {
                CommandOutput.Error(result).WriteLine("following the engine (ctrl+c stops)");
            }

            do
            {
                int code = await view.PrintAsync(client, clear: !view.Json && Terminal.IsTerminal(result), cancellationToken).ConfigureAwait(false);
                if (code != ExitCodes.Success)
                {
                    return code;
                }
            }
            while (await changes.WaitAsync(cancellationToken).ConfigureAwait(false));

            return CommandOutput.Fail(result, changes.DroppedReason is { } reason ? $"the engine dropped this client: {reason}" : "the engine went away");
        }, cancellationToken));
        return command;
    }

    private sealed record View(ParseResult Result, CliHost Host, GlobalOptions Globals, EngineIdentity Identity, string? Agent, int Limit, bool Json)
    {
        public async Task<int> PrintAsync(EngineClient client, bool clear, CancellationToken cancellationToken)
        {
            TextWriter output = CommandOutput.Out(Result);
            DateTimeOffset now = Host.TimeProvider.GetUtcNow();
            string text;
            if (Agent is null)
            {
                EngineSnapshot snapshot = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                text = Json ? JsonSerializer.Serialize(snapshot, CliJson.Compact.EngineSnapshot) : StatusText.Overview(Identity, snapshot, now, Painter(), Terminal.Width(Result));
            }
            else
            {
                AgentDetail detail = await client.GetAgentAsync(Agent, cancellationToken).ConfigureAwait(false);
                text = Json ? JsonSerializer.Serialize(detail, CliJson.Compact.AgentDetail) : StatusText.AgentDetail(detail, now, Painter(), Limit, Terminal.Width(Result));
            }

            // JSON is one document per line, so `-w --json` is a stream a script can read line by line.
            output.Write((clear ? "\u001b[H\u001b[2J" : string.Empty) + text + (Json ? "\n" : string.Empty));
            output.Flush();
            return ExitCodes.Success;
        }

        private Painter Painter() => Terminal.Painter(Result, Host, Globals);
    }
}
