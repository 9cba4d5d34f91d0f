using System.CommandLine;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Rpc;
using Aetherflow.Tui.Presentation;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow logs &lt;agent&gt; [-f] [-n N] [--raw] [--json]</c>: an agent's event stream as log lines, read by
/// sequence cursor; <c>-f</c> follows it as the engine pushes new events (never polling).
/// </summary>
internal static class LogsCommand
{
    public static Command Create(CliHost host, GlobalOptions globals, EngineConnection engine)
    {
        var agent = new Argument<string>("agent") { Description = "The agent's name (or its task or spawn id), as 'aetherflow status' shows it" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they come (ctrl+c stops)" };
        var lines = new Option<int>("--lines", "-n")
        {
            Description = "Show the last N events first (0: all)",
            HelpName = "N",
            DefaultValueFactory = _ => 20,
        };
        lines.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--lines must be 0 (all) or more");
            }
        });
        var raw = new Option<bool>("--raw") { Description = "Print every event as the raw JSON the runtime sent, one per line" };
        var json = JsonOption.Create("Print each log line as JSON (snake_case), one per line");
        var command = new Command("logs", "Show an agent's log: tool calls, text, steps, errors") { agent, follow, lines, raw, json };
        command.SetAction((result, cancellationToken) => engine.RunAsync(result, async (client, _) =>
        {
            string name = result.GetRequiredValue(agent);
            bool following = result.GetValue(follow);
            var printer = new EventPrinter(result, Terminal.Painter(result, host, globals), result.GetValue(raw), result.GetValue(json));
            using var watch = new EngineWatch(client) { Agent = name };
            if (following)
            {
                // Subscribe before the first read: whatever arrives after it wakes the loop, and the cursor misses nothing.
                await client.SubscribeAsync(new SubscribeRequest { Topics = ["events"], Agents = [name], Lines = false }, cancellationToken).ConfigureAwait(false);
            }

            var reader = new AgentEventReader(client, name, result.GetValue(raw));
            IReadOnlyList<EventLine> first = (await reader.ReadNewAsync(cancellationToken).ConfigureAwait(false)).Lines;
            int last = result.GetValue(lines);
            printer.Print(last > 0 ? first.TakeLast(last) : first);
            if (reader.Session is null && first.Count == 0)
            {
                EngineSnapshot status = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                CommandOutput.Error(result).WriteLine(NoStreamNote(host, status, name));
            }

            if (!following)
            {
                return ExitCodes.Success;
            }

            CommandOutput.Error(result).WriteLine($"following {name} (ctrl+c stops)");
            while (await watch.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                (IReadOnlyList<EventLine> next, string? newSession) = await reader.ReadNewAsync(cancellationToken).ConfigureAwait(false);
                if (newSession is not null)
                {
                    CommandOutput.Error(result).WriteLine($"{name} continues in a new session {newSession}");
                }

                printer.Print(next);
            }

            return CommandOutput.Fail(result, watch.DroppedReason is { } reason ? $"the engine dropped this client: {reason}" : "the engine went away");
        }, cancellationToken));
        return command;
    }

    private static string NoStreamNote(CliHost host, EngineSnapshot status, string name)
    {
        AgentInfo? info = status.Agents.LastOrDefault(a => a.Name == name) ?? status.Agents.LastOrDefault(a => a.TaskId == name);
        if (status.Runtime == "command" && info is not null)
        {
            string logFile = Path.Combine(AetherflowPaths.From(host.Environment).ProjectStateDirectory(status.Project), "agents", info.Name + ".log");
            return $"{info.Name} runs as a plain process (runtime: command), which records no events; its output is in {logFile}";
        }

        return $"no events from {name} yet";
    }
}
