using System.Collections.Concurrent;
using System.Text.Json;
using Aetherflow.Engine.Api;
using Microsoft.Extensions.Logging;
using PolyType;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// The JSON-RPC methods of one connection. Every method is logged with the peer that called it; mutating methods at
/// information level, so the engine log says who drained, stopped or shut down what.
/// </summary>
/// <remarks>
/// The methods are found through a source-generated shape (<see cref="Metadata"/>), not by reflection over the object:
/// a Native AOT build keeps exactly these methods, and a target registered as a plain <c>object</c> would silently lose
/// them all to trimming.
/// </remarks>
[GenerateShape(IncludeMethods = MethodShapeFlags.PublicInstance)]
public sealed partial class EngineRpcTarget : IDisposable
{
    private readonly IEngine engine;
    private readonly RpcPeer peer;
    private readonly IEngineLifetime? lifetime;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly PluginEventSink sessionEvents;
    private readonly SubscriberSender sender;
    private readonly ConcurrentDictionary<string, string> attachedSpawns = new(StringComparer.Ordinal);
    private StatusSubscription? statusSubscription;
    private EventsSubscription? eventsSubscription;

    /// <param name="engine">The engine this connection talks to.</param>
    /// <param name="peer">Who is connected.</param>
    /// <param name="rpc">The connection, for pushing notifications.</param>
    /// <param name="lifetime">Lets <c>engine.shutdown</c> stop the engine; null refuses it.</param>
    /// <param name="time">The clock for subscriptions.</param>
    /// <param name="logger">Receives one entry per call.</param>
    /// <param name="limits">Frame and subscriber-queue limits.</param>
    /// <param name="sessionEvents">The connection's <c>session.event</c> notifications (owned by the connection).</param>
    internal EngineRpcTarget(IEngine engine, RpcPeer peer, JsonRpc rpc, IEngineLifetime? lifetime, TimeProvider time, ILogger logger, RpcLimits limits, PluginEventSink sessionEvents)
    {
        this.engine = engine;
        this.peer = peer;
        this.lifetime = lifetime;
        this.time = time;
        this.logger = logger;
        this.sessionEvents = sessionEvents;
        sender = new SubscriberSender(rpc, peer, limits, time, logger) { Topics = SubscribedTopics };
    }

    /// <summary>The RPC methods of this class, from its generated shape; built once, shared by every connection.</summary>
    internal static RpcTargetMetadata Metadata { get; } = RpcTargetMetadata.FromShape<EngineRpcTarget>();

    private string Caller => $"rpc client {peer}";

    /// <summary>Identifies the engine and negotiates the protocol version.</summary>
    [JsonRpcMethod("engine.hello", UseSingleObjectParameterDeserialization = true)]
    public EngineIdentity Hello(HelloRequest? request = null)
    {
        int wanted = request?.ProtocolVersion ?? engine.Identity.ProtocolVersion;
        logger.LogDebug("rpc engine.hello from {Peer} ({Client}, protocol {Protocol})", peer, request?.Client ?? "unnamed client", wanted);
        if (wanted < engine.Identity.MinProtocolVersion)
        {
            throw RpcException.Create(
                RpcErrorCodes.ProtocolMismatch,
                $"client protocol {wanted} is too old: this engine ({engine.Identity.BuildVersion}) speaks {engine.Identity.MinProtocolVersion}..{engine.Identity.ProtocolVersion}; upgrade the client");
        }

        return engine.Identity with { ProtocolVersion = Math.Min(wanted, engine.Identity.ProtocolVersion) };
    }

    /// <summary>The whole engine state: pool, mode, agents (pool and spawned), queue, decisions, warnings.</summary>
    [JsonRpcMethod("status.get")]
    public EngineSnapshot GetStatus()
    {
        logger.LogDebug("rpc status.get from {Peer}", peer);
        return engine.Snapshot;
    }

    /// <summary>The ready tasks waiting for a slot.</summary>
    [JsonRpcMethod("tasks.queue")]
    public IReadOnlyList<QueuedTask> GetQueue()
    {
        logger.LogDebug("rpc tasks.queue from {Peer}", peer);
        return engine.Snapshot.Queue;
    }

    /// <summary>Stops scheduling new tasks; crashed agents are still respawned.</summary>
    [JsonRpcMethod("pool.drain")]
    public Task<PoolModeResult> DrainAsync(CancellationToken cancellationToken) => SetModeAsync(PoolMode.Draining, cancellationToken);

    /// <summary>Stops scheduling and respawning; running agents keep running.</summary>
    [JsonRpcMethod("pool.pause")]
    public Task<PoolModeResult> PauseAsync(CancellationToken cancellationToken) => SetModeAsync(PoolMode.Paused, cancellationToken);

    /// <summary>Returns the pool to normal scheduling.</summary>
    [JsonRpcMethod("pool.resume")]
    public Task<PoolModeResult> ResumeAsync(CancellationToken cancellationToken) => SetModeAsync(PoolMode.Active, cancellationToken);

    /// <summary>
    /// Starts a one-off agent from a prompt. Without <c>detached</c> the agent belongs to this connection and is stopped
    /// when the connection closes first.
    /// </summary>
    [JsonRpcMethod("spawn", UseSingleObjectParameterDeserialization = true)]
    public async Task<AgentInfo> SpawnAsync(SpawnParams request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        logger.LogInformation("rpc spawn (solo: {Solo}, detached: {Detached}) from {Peer}", request.Solo?.ToString() ?? "default", request.Detached, peer);
        AgentInfo agent = await engine.SpawnAsync(new SpawnRequest { Prompt = request.Prompt, RequestedBy = Caller, Solo = request.Solo }, cancellationToken).ConfigureAwait(false);
        if (!request.Detached && agent.TaskId is { } spawnId)
        {
            attachedSpawns[spawnId] = agent.Name;
        }

        return agent;
    }

    /// <summary>This project's sessions from the session registry, most recently updated first.</summary>
    [JsonRpcMethod("sessions.list")]
    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken)
    {
        logger.LogDebug("rpc sessions.list from {Peer}", peer);
        return engine.ListSessionsAsync(cancellationToken);
    }

    /// <summary>Where and how to attach an opencode TUI to a session (<c>aetherflow session attach</c>).</summary>
    [JsonRpcMethod("session.attach", UseSingleObjectParameterDeserialization = true)]
    public Task<SessionAttachInfo> AttachSessionAsync(SessionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        logger.LogInformation("rpc session.attach {Session} from {Peer}", request.SessionId, peer);
        if (string.IsNullOrWhiteSpace(request.SessionId))
        {
            throw RpcException.InvalidParams("session_id is required, e.g. {\"session_id\": \"ses_4f1c2a\"}");
        }

        return engine.GetSessionAttachAsync(request.SessionId, cancellationToken);
    }

    /// <summary>Stops an agent; it is not respawned.</summary>
    [JsonRpcMethod("agent.stop", UseSingleObjectParameterDeserialization = true)]
    public async Task<OkResult> StopAgentAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        logger.LogInformation("rpc agent.stop {Agent} from {Peer}", request.Agent, peer);
        RequireName(request.Agent);
        await engine.StopAgentAsync(request.Agent, Caller, cancellationToken).ConfigureAwait(false);
        return new OkResult();
    }

    /// <summary>Sends a message into a running agent's session.</summary>
    [JsonRpcMethod("agent.steer", UseSingleObjectParameterDeserialization = true)]
    public async Task<OkResult> SteerAgentAsync(SteerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        logger.LogInformation("rpc agent.steer {Agent} from {Peer}", request.Agent, peer);
        RequireName(request.Agent);
        await engine.SteerAsync(request.Agent, request.Message, Caller, cancellationToken).ConfigureAwait(false);
        return new OkResult();
    }

    /// <summary>
    /// Starts pushing notifications to this connection: <c>status.changed</c> for the <c>status</c> topic,
    /// <c>agent.events</c> for the <c>events</c> topic (optionally only some agents). Subscribing again replaces the
    /// previous subscription of that topic.
    /// </summary>
    [JsonRpcMethod("events.subscribe", UseSingleObjectParameterDeserialization = true)]
    public async Task<SubscribeResult> SubscribeAsync(SubscribeRequest? request = null)
    {
        IReadOnlyList<string> topics = request?.Topics is { Count: > 0 } requested ? requested : ["status"];
        string? unknown = topics.FirstOrDefault(t => t is not ("status" or "events"));
        if (unknown is not null)
        {
            throw RpcException.InvalidParams($"unknown topic '{unknown}'; this engine offers: status, events");
        }

        logger.LogDebug("rpc events.subscribe {Topics} from {Peer}", string.Join(",", topics), peer);
        if (topics.Contains("status"))
        {
            statusSubscription ??= new StatusSubscription(engine, sender, time, () => eventsSubscription);
        }

        if (topics.Contains("events"))
        {
            if (eventsSubscription is { } previous)
            {
                await previous.DisposeAsync().ConfigureAwait(false);
            }

            eventsSubscription = new EventsSubscription(engine, sender, request?.Agents ?? [], request?.Lines ?? true);
        }

        return new SubscribeResult(topics, engine.Snapshot.Revision);
    }

    /// <summary>Stops notifications of the given topics (all when none are given) on this connection.</summary>
    [JsonRpcMethod("events.unsubscribe", UseSingleObjectParameterDeserialization = true)]
    public async Task<SubscribeResult> UnsubscribeAsync(UnsubscribeRequest? request = null)
    {
        IReadOnlyList<string> topics = request?.Topics is { Count: > 0 } requested ? requested : ["status", "events"];
        string? unknown = topics.FirstOrDefault(t => t is not ("status" or "events"));
        if (unknown is not null)
        {
            throw RpcException.InvalidParams($"unknown topic '{unknown}'; this engine offers: status, events");
        }

        logger.LogDebug("rpc events.unsubscribe {Topics} from {Peer}", string.Join(",", topics), peer);
        if (topics.Contains("status") && statusSubscription is { } status)
        {
            statusSubscription = null;
            await status.DisposeAsync().ConfigureAwait(false);
        }

        if (topics.Contains("events") && eventsSubscription is { } events)
        {
            eventsSubscription = null;
            await events.DisposeAsync().ConfigureAwait(false);
        }

        return new SubscribeResult(SubscribedTopics(), engine.Snapshot.Revision);
    }

    /// <summary>One agent in detail: tool calls, task, pending permissions.</summary>
    [JsonRpcMethod("agent.get", UseSingleObjectParameterDeserialization = true)]
    public Task<AgentDetail> GetAgentAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        logger.LogDebug("rpc agent.get {Agent} from {Peer}", request.Agent, peer);
        RequireName(request.Agent);
        return engine.GetAgentAsync(request.Agent, cancellationToken);
    }

    /// <summary>An agent's events after a sequence cursor.</summary>
    [JsonRpcMethod("events.read", UseSingleObjectParameterDeserialization = true)]
    public Task<EventPage> ReadEventsAsync(EventsReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        logger.LogDebug("rpc events.read {Agent} after {Cursor} from {Peer}", request.Agent, request.AfterSequence, peer);
        RequireName(request.Agent);
        if (request.Limit is < 1 or > 10_000)
        {
            throw RpcException.InvalidParams($"limit must be between 1 and 10000, got {request.Limit}");
        }

        if (request.AfterSequence < 0)
        {
            throw RpcException.InvalidParams("after_sequence must not be negative");
        }

        return engine.ReadEventsAsync(request.Agent, request.AfterSequence, request.Limit, request.Raw, cancellationToken);
    }

    /// <summary>Answers the agent's oldest pending permission request.</summary>
    [JsonRpcMethod("agent.permission", UseSingleObjectParameterDeserialization = true)]
    public Task<PermissionRequestInfo> AnswerPermissionAsync(PermissionAnswerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        logger.LogInformation("rpc agent.permission {Agent} {Reply} from {Peer}", request.Agent, request.Reply, peer);
        RequireName(request.Agent);
        PermissionReply reply = request.Reply switch
        {
            "once" => PermissionReply.Once,
            "always" => PermissionReply.Always,
            "reject" => PermissionReply.Reject,
            _ => throw RpcException.InvalidParams($"reply must be once, always or reject, got '{request.Reply}'"),
        };
        return engine.AnswerPermissionAsync(request.Agent, reply, cancellationToken);
    }

    /// <summary>
    /// An opencode event pushed by the aetherflow-events plugin, sent as a notification (no reply):
    /// <c>{"seq","time","dropped","directory","event":{id,type,properties}}</c>. Events of the engine's sessions join
    /// the same pipeline as the event stream; anything else is counted and ignored, and invalid input is counted and
    /// logged — it never fails the connection. Well-formed notifications never reach this method: the socket's read
    /// loop hands them to the connection's <see cref="PluginEventSink"/> directly.
    /// </summary>
    [JsonRpcMethod("session.event", UseSingleObjectParameterDeserialization = true)]
    public void SessionEvent(JsonElement parameters = default) => sessionEvents.Accept(parameters);

    /// <summary>The address and credentials for <c>opencode attach</c> on an agent's session.</summary>
    [JsonRpcMethod("agent.attach", UseSingleObjectParameterDeserialization = true)]
    public Task<SessionAttachInfo> GetAgentAttachAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Information level: this hands out the opencode server's password, so the log says to whom.
        logger.LogInformation("rpc agent.attach {Agent} from {Peer}", request.Agent, peer);
        RequireName(request.Agent);
        return engine.GetAgentAttachAsync(request.Agent, cancellationToken);
    }

    /// <summary>Stops the engine; refused while agents run unless <c>force</c>.</summary>
    [JsonRpcMethod("engine.shutdown", UseSingleObjectParameterDeserialization = true)]
    public ShutdownResult Shutdown(ShutdownRequest? request = null)
    {
        int running = engine.Snapshot.Agents.Count(a => a.Activity != AgentActivity.Exited);
        logger.LogInformation("rpc engine.shutdown (force: {Force}) from {Peer} with {Running} agents running", request?.Force ?? false, peer, running);
        if (lifetime is null)
        {
            throw RpcException.Unsupported("this engine cannot be shut down over its socket; stop the process that runs it");
        }

        if (running > 0 && request?.Force != true)
        {
            throw RpcException.Conflict($"{running} agent{(running == 1 ? " is" : "s are")} running; drain or stop them first, or shut down with force (agents are stopped gracefully)");
        }

        lifetime.RequestShutdown(Caller);
        return new ShutdownResult(Stopping: true, RunningAgents: running);
    }

    /// <summary>Ends the connection's subscriptions and stops the agents it spawned attached (not an RPC method).</summary>
    [JsonRpcIgnore]
    public void Dispose()
    {
        StopAttachedSpawns();
        if (statusSubscription is { } status)
        {
            statusSubscription = null;
            _ = status.DisposeAsync().AsTask();
        }

        if (eventsSubscription is { } events)
        {
            eventsSubscription = null;
            _ = events.DisposeAsync().AsTask();
        }
    }

    private IReadOnlyList<string> SubscribedTopics() =>
        [.. statusSubscription is null ? Array.Empty<string>() : ["status"], .. eventsSubscription is null ? Array.Empty<string>() : ["events"]];

    // Agents spawned without `detached` end with the connection that spawned them, like a foreground process.
    private void StopAttachedSpawns()
    {
        foreach ((string spawnId, string name) in attachedSpawns)
        {
            AgentInfo? agent = engine.Snapshot.Agents.LastOrDefault(a => a.TaskId == spawnId && a.Name == name);
            if (agent is null || agent.Activity == AgentActivity.Exited)
            {
                continue;
            }

            logger.LogInformation("RPC client {Peer} disconnected; stopping {Agent}, which it spawned without detached", peer, name);
            _ = StopQuietlyAsync(name);
        }

        attachedSpawns.Clear();
    }

    private async Task StopQuietlyAsync(string name)
    {
        try
        {
            await engine.StopAgentAsync(name, $"{Caller} (it spawned the agent and disconnected)", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or NotSupportedException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // Usually the engine is stopping or the agent just ended; either way nothing is left to stop.
            logger.LogDebug("Stopping {Agent} after its client {Peer} left did not happen: {Reason}", name, peer, ex.Message);
        }
    }

    private static void RequireName(string agent)
    {
        if (string.IsNullOrWhiteSpace(agent))
        {
            throw RpcException.InvalidParams("agent is required: the agent's name, e.g. {\"agent\": \"ghost_wolf\"}");
        }
    }

    private async Task<PoolModeResult> SetModeAsync(PoolMode mode, CancellationToken cancellationToken)
    {
        logger.LogInformation("rpc pool mode {Mode} from {Peer}", mode, peer);
        PoolMode result = await engine.SetPoolModeAsync(mode, cancellationToken).ConfigureAwait(false);
        return new PoolModeResult(result, engine.Snapshot.RunningPoolAgents);
    }
}
