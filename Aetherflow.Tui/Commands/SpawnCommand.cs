using System.CommandLine;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Rpc;
using StreamJsonRpc;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow spawn "&lt;prompt&gt;" [-d] [--solo] [--json]</c>: starts a one-off agent through the project's engine
/// (starting one in the background when none runs) and, without <c>-d</c>, follows it to its end like a foreground
/// process: its log is printed as it happens, ctrl+c stops it, and the exit code says how it ended.
/// </summary>
internal static class SpawnCommand
{
    private static readonly TimeSpan EngineReadiness = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(CliHost host, GlobalOptions globals, EngineConnection engine)
    {
        var prompt = new Argument<string[]>("prompt") { Description = "What the agent should do (several words are joined with spaces)", Arity = ArgumentArity.OneOrMore };
        var detach = new Option<bool>("--detach", "-d") { Description = "Return once the agent started; it runs on in the engine" };
        var solo = new Option<bool>("--solo")
        {
            Description = "Have the agent merge its branch into the base branch itself (default: the project's solo setting; --solo false leaves it for review)",
        };
        var json = JsonOption.Create("Print the agent as JSON: as started (with -d) or as it ended");
        var command = new Command("spawn", "Start an agent from a prompt and follow it to its end (-d: leave it running)") { prompt, detach, solo, json };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new Options(
                string.Join(' ', result.GetRequiredValue(prompt)),
                result.GetValue(detach),
                result.GetResult(solo) is { Implicit: false } ? result.GetValue(solo) : null,
                result.GetValue(json));
            return RunAsync(result, host, globals, engine, options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CliHost host, GlobalOptions globals, EngineConnection engine, Options options, CancellationToken cancellationToken)
    {
        AetherflowConfig config;
        string socketPath;
        try
        {
            config = engine.LoadConfig(result);
            socketPath = engine.SocketPath(config);
        }
        catch (ConfigException ex)
        {
            return CommandOutput.Fail(result, ex.Message, ExitCodes.ConfigError);
        }

        EngineClient client;
        DetachedEngine.Started? started = null;
        try
        {
            client = await EngineClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineNotRunningException)
        {
            CommandOutput.Error(result).WriteLine($"aetherflow: no engine runs for project '{config.Project}'; starting one in the background");
            started = await DetachedEngine.StartForProjectAsync(result, host, config, EngineReadiness, cancellationToken).ConfigureAwait(false);
            if (started is null)
            {
                return ExitCodes.Failure;
            }

            try
            {
                client = await EngineClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineNotRunningException ex)
            {
                return CommandOutput.Fail(result, $"the background engine went away right after it started ({ex.Message}; log: {started.LogFile})");
            }
        }

        await using (client.ConfigureAwait(false))
        {
            var run = new SpawnRun(result, host, globals, client, options, started);
            return await EngineConnection.RunAsync(result, config, client, (_, _) => run.ExecuteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Options(string Prompt, bool Detached, bool? Solo, bool Json);

    /// <summary>One spawn: start the agent, then follow it to its end unless detached.</summary>
    private sealed class SpawnRun
    {
        private readonly ParseResult result;
        private readonly EngineClient client;
        private readonly Options options;
        private readonly DetachedEngine.Started? started;
        private readonly EventPrinter printer;

        public SpawnRun(ParseResult result, CliHost host, GlobalOptions globals, EngineClient client, Options options, DetachedEngine.Started? started)
        {
            this.result = result;
            this.client = client;
            this.options = options;
            this.started = started;
            printer = new EventPrinter(result, Terminal.Painter(result, host, globals), raw: false, json: false);
        }

        private TextWriter Error => CommandOutput.Error(result);

        public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            using var watch = new EngineWatch(client);
            if (!options.Detached)
            {
                // Subscribe before spawning so nothing the agent does is missed.
                await client.SubscribeAsync(new SubscribeRequest { Topics = ["status", "events"], Lines = false }, cancellationToken).ConfigureAwait(false);
            }

            AgentInfo agent = await client.SpawnAsync(options.Prompt, options.Solo, options.Detached, cancellationToken).ConfigureAwait(false);
            watch.Agent = agent.Name;
            if (options.Detached)
            {
                PrintStarted(agent);
                return ExitCodes.Success;
            }

            Error.WriteLine($"aetherflow: spawned {agent.Name} ({agent.TaskId}); following it, ctrl+c stops it");
            try
            {
                return await FollowAsync(agent, watch, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return await InterruptAsync(agent).ConfigureAwait(false);
            }
        }

        private void PrintStarted(AgentInfo agent)
        {
            if (options.Json)
            {
                CommandOutput.Json(result, agent, CliJson.Indented.AgentInfo);
            }
            else
            {
                TextWriter output = CommandOutput.Out(result);
                output.WriteLine($"spawned {agent.Name} ({agent.TaskId})");
                output.WriteLine($"  follow: aetherflow logs {agent.Name} -f");
                output.WriteLine($"  stop:   aetherflow stop {agent.Name}");
            }

            if (started is not null)
            {
                Error.WriteLine($"aetherflow: the background engine keeps running (pid {started.Pid}, log {started.LogFile}); 'aetherflow shutdown' stops it");
            }
        }

        // The spawn id, unlike the name, is never reused: reads and state both go by it.
        private async Task<int> FollowAsync(AgentInfo agent, EngineWatch watch, CancellationToken cancellationToken)
        {
            string spawnId = agent.TaskId ?? agent.Name;
            var reader = new AgentEventReader(client, spawnId, raw: false);
            while (true)
            {
                await PrintNewAsync(reader, agent.Name, cancellationToken).ConfigureAwait(false);
                AgentInfo? now = watch.Snapshot?.Agents.LastOrDefault(a => a.TaskId == spawnId);

                // The pushed snapshot can predate the spawn; only the engine's current state may say the agent is gone.
                now ??= (await client.GetStatusAsync(cancellationToken).ConfigureAwait(false)).Agents.LastOrDefault(a => a.TaskId == spawnId);
                if (now is null || now.Activity == AgentActivity.Exited)
                {
                    await PrintNewAsync(reader, agent.Name, cancellationToken).ConfigureAwait(false);
                    return await FinishAsync(agent, now).ConfigureAwait(false);
                }

                if (!await watch.WaitAsync(cancellationToken).ConfigureAwait(false))
                {
                    return CommandOutput.Fail(result, watch.DroppedReason is { } reason ? $"the engine dropped this client: {reason}" : $"the engine went away; {agent.Name} ended with it");
                }
            }
        }

        private async Task PrintNewAsync(AgentEventReader reader, string name, CancellationToken cancellationToken)
        {
            (IReadOnlyList<EventLine> lines, string? newSession) = await reader.ReadNewAsync(cancellationToken).ConfigureAwait(false);
            if (options.Json)
            {
                return;
            }

            if (newSession is not null)
            {
                Error.WriteLine($"aetherflow: {name} was respawned and continues in session {newSession}");
            }

            printer.Print(lines);
        }

        private async Task<int> FinishAsync(AgentInfo spawned, AgentInfo? ended)
        {
            int code;
            if (ended is null)
            {
                code = CommandOutput.Fail(result, $"lost track of {spawned.Name}: the engine no longer lists it", ExitCodes.AgentFailed);
            }
            else
            {
                bool succeeded = ended.ExitCode == 0;
                if (options.Json)
                {
                    CommandOutput.Json(result, ended, CliJson.Indented.AgentInfo);
                }
                else if (succeeded)
                {
                    Error.WriteLine($"aetherflow: {ended.Name} finished");
                }
                else
                {
                    Error.WriteLine($"aetherflow: {ended.Name} failed (exit {ended.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}){(ended.LastError is { } error ? ": " + error : string.Empty)}");
                }

                code = succeeded ? ExitCodes.Success : ExitCodes.AgentFailed;
            }

            await StopStartedEngineAsync(force: false).ConfigureAwait(false);
            return code;
        }

        // ctrl+c: the agent was this command's, so it stops with it (the engine would also stop it when this connection closes).
        private async Task<int> InterruptAsync(AgentInfo agent)
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await client.StopAgentAsync(agent.Name, timeout.Token).ConfigureAwait(false);
                Error.WriteLine($"aetherflow: stopped {agent.Name}");
            }
            catch (Exception ex) when (ex is RemoteInvocationException or ConnectionLostException or OperationCanceledException)
            {
                Error.WriteLine($"aetherflow: could not stop {agent.Name}: {ex.Message}");
            }

            // The agent may still be stopping; force only when nothing else runs in the engine this command started.
            bool othersRunning = true;
            try
            {
                EngineSnapshot snapshot = await client.GetStatusAsync(timeout.Token).ConfigureAwait(false);
                othersRunning = snapshot.Agents.Any(a => a.Activity != AgentActivity.Exited && a.TaskId != agent.TaskId);
            }
            catch (Exception ex) when (ex is RemoteInvocationException or ConnectionLostException or OperationCanceledException)
            {
                Error.WriteLine($"aetherflow: could not read the engine's state: {ex.Message}");
            }

            await StopStartedEngineAsync(force: !othersRunning).ConfigureAwait(false);
            return ExitCodes.AgentsInterrupted;
        }

        // An engine this command started only for its agent goes away with it, unless someone gave it more work.
        private async Task StopStartedEngineAsync(bool force)
        {
            if (started is null)
            {
                return;
            }

            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await client.ShutdownAsync(force, timeout.Token).ConfigureAwait(false);
                Error.WriteLine($"aetherflow: stopped the background engine this command started (pid {started.Pid})");
            }
            catch (Exception ex) when (ex is RemoteInvocationException or ConnectionLostException or OperationCanceledException)
            {
                Error.WriteLine($"aetherflow: the background engine (pid {started.Pid}) keeps running: {ex.Message}");
            }
        }
    }
}
