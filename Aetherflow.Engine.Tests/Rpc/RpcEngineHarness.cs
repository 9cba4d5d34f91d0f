using System.Text;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.Pool.Fakes;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>
/// A real engine on a real socket whose agents are <see cref="FakeRuntime"/> agents with real sessions in a real event
/// store and session registry: the test writes the events an opencode agent would produce.
/// </summary>
internal sealed class RpcEngineHarness : IAsyncDisposable
{
    private int parts;

    private RpcEngineHarness(RunningEngine engine, FakeRuntime runtime, FakeTaskSource tasks, SessionEventStore events, SessionRegistry registry)
    {
        Engine = engine;
        Runtime = runtime;
        Tasks = tasks;
        Events = events;
        Registry = registry;
    }

    public RunningEngine Engine { get; }

    public FakeRuntime Runtime { get; }

    public FakeTaskSource Tasks { get; }

    public SessionEventStore Events { get; }

    public SessionRegistry Registry { get; }

    public string SocketPath => Engine.SocketPath;

    public static async Task<RpcEngineHarness> StartAsync(
        TestHome home, Dictionary<string, string>? flags = null, RpcLimits? limits = null, RecordingLoggerFactory? logging = null, string project = "demo")
    {
        var runtime = new FakeRuntime();
        var tasks = new FakeTaskSource();
        var events = new SessionEventStore(new SessionEventStoreOptions(), TimeProvider.System, NullLogger<SessionEventStore>.Instance);
        var registry = new SessionRegistry(new SessionRegistryOptions { Directory = home.Paths.SessionsDirectory });
        RunningEngine engine = await RunningEngine.StartAsync(
            home,
            project,
            flags: flags,
            components: (_, _, _) => Task.FromResult<EngineComponents?>(new EngineComponents
            {
                Tasks = tasks,
                Runtime = runtime,
                Workspaces = new FakeWorkspaces(),
                Prompts = new FakePrompts(),
                Events = events,
                Registry = registry,
                Owned = [new DisposeAction(() => events.Dispose())],
            }),
            limits: limits,
            logging: logging);
        return new RpcEngineHarness(engine, runtime, tasks, events, registry);
    }

    /// <summary>Waits until the <paramref name="index"/>th launched agent runs, and returns it.</summary>
    public async Task<FakeAgent> LaunchedAsync(int index = 0)
    {
        await Eventually.TrueAsync(() => Runtime.Launched.Count > index, $"agent #{index + 1} to launch");
        FakeAgent agent = Runtime.Launched[index];
        await Eventually.TrueAsync(() => Engine.Host.Engine.Snapshot.Agents.Any(a => a.SessionId == agent.SessionId), "the engine to list the agent's session");
        return agent;
    }

    /// <summary>Appends a finished assistant text part, as opencode reports it.</summary>
    public SessionEvent Text(string session, string text)
    {
        string id = $"prt_text{Interlocked.Increment(ref parts):D6}";
        return Append(session, "message.part.updated", $$"""{"part":{"id":"{{id}}","messageID":"msg_1","sessionID":"{{session}}","type":"text","text":"{{text}}","time":{"start":1795382943403,"end":1795382943420} } }""");
    }

    /// <summary>Appends a bash tool call in its completed state.</summary>
    public SessionEvent Bash(string session, string command, string status = "completed")
    {
        string id = $"prt_tool{Interlocked.Increment(ref parts):D6}";
        string end = status == "running" ? string.Empty : ",\"end\":1795382944600";
        return Append(session, "message.part.updated", $$"""{"part":{"id":"{{id}}","messageID":"msg_1","sessionID":"{{session}}","type":"tool","tool":"bash","callID":"call_1","state":{"status":"{{status}}","input":{"command":"{{command}}"},"output":"ok","title":"{{command}}","time":{"start":1795382943400{{end}} } } } }""");
    }

    public SessionEvent Append(string session, string type, string payload) =>
        Events.Append(session, type, Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow);

    public Task<SessionRecord> RegisterAsync(string session, string project = "demo", string serverRef = "http://127.0.0.1:4096/", string? workRef = "spawn-x", SessionStatus status = SessionStatus.Active) =>
        Registry.UpsertAsync(
            new SessionUpsert
            {
                ServerRef = serverRef,
                SessionId = session,
                Project = project,
                Directory = "/repo/.aetherflow/worktrees/" + (workRef ?? "none"),
                OriginType = SessionOrigin.Spawn,
                WorkRef = workRef,
                AgentId = "calm_otter",
                Status = status,
            },
            CancellationToken.None);

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
