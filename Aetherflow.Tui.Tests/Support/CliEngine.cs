using System.Text;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>
/// A real engine with its real socket in the test's home, for the CLI to talk to: stub agents with real sessions in a
/// real event store and session registry.
/// </summary>
internal sealed class CliEngine : IAsyncDisposable
{
    private int parts;

    private CliEngine(EngineHost host, StubRuntime runtime, SessionEventStore events, SessionRegistry registry)
    {
        Host = host;
        Runtime = runtime;
        Events = events;
        Registry = registry;
    }

    public EngineHost Host { get; }

    public StubRuntime Runtime { get; }

    public SessionEventStore Events { get; }

    public SessionRegistry Registry { get; }

    public EngineSnapshot Snapshot => Host.Engine.Snapshot;

    public static async Task<CliEngine> StartAsync(TestHome home, string project = "demo")
    {
        var runtime = new StubRuntime();
        var environment = new HostEnvironment(home.Variables);
        var events = new SessionEventStore(new SessionEventStoreOptions(), TimeProvider.System, NullLogger<SessionEventStore>.Instance);
        var registry = new SessionRegistry(new SessionRegistryOptions { Directory = AetherflowPaths.From(environment).SessionsDirectory });
        AetherflowConfig config = ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = home.ProjectDirectory,
            Environment = home.Variables,
            Flags = new Dictionary<string, string> { ["project"] = project },
        });
        EngineHost host = await EngineHost.StartAsync(
            config,
            new EngineOptions
            {
                Environment = environment,
                Headless = true,
                Components = (_, _, _) => Task.FromResult<EngineComponents?>(new EngineComponents
                {
                    Tasks = new Aetherflow.Engine.Tasks.Builtin.BuiltinTaskStore(new Aetherflow.Engine.Tasks.Builtin.BuiltinTaskStoreOptions { ProjectDirectory = home.ProjectDirectory, ProjectName = project }),
                    Runtime = runtime,
                    Workspaces = runtime,
                    Prompts = runtime,
                    Events = events,
                    Registry = registry,
                    Owned = [new Disposer(events)],
                }),
            },
            CancellationToken.None);
        return new CliEngine(host, runtime, events, registry);
    }

    /// <summary>Spawns an agent as a client would and waits until it runs.</summary>
    public async Task<(AgentInfo Info, StubAgent Agent)> SpawnAsync(string prompt)
    {
        AgentInfo info = await Host.Engine.SpawnAsync(new SpawnRequest { Prompt = prompt, RequestedBy = "test" }, CancellationToken.None);
        await Wait.UntilAsync(() => Snapshot.Agents.Any(a => a.TaskId == info.TaskId && a.SessionId is not null), "the agent to run");
        return (info, Runtime.Launched.Single(a => a.Launch.WorkId == info.TaskId));
    }

    public SessionEvent Text(string session, string text, long endMs = 1795382943420)
    {
        string id = $"prt_text{Interlocked.Increment(ref parts):D6}";
        return Append(session, $$"""{"part":{"id":"{{id}}","messageID":"msg_1","sessionID":"{{session}}","type":"text","text":"{{text}}","time":{"start":1795382943403,"end":{{endMs}} } } }""");
    }

    public SessionEvent Bash(string session, string command, string output = "ok")
    {
        string id = $"prt_tool{Interlocked.Increment(ref parts):D6}";
        return Append(session, $$"""{"part":{"id":"{{id}}","messageID":"msg_1","sessionID":"{{session}}","type":"tool","tool":"bash","callID":"call_1","state":{"status":"completed","input":{"command":"{{command}}"},"output":"{{output}}","time":{"start":1795382943400,"end":1795382944600} } } }""");
    }

    public SessionEvent Append(string session, string payload) =>
        Events.Append(session, "message.part.updated", Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow);

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private sealed class Disposer(IDisposable owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            owned.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
