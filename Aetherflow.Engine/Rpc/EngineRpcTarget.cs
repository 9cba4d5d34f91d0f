using Aetherflow.Engine.Api;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// The JSON-RPC methods of one connection. Every method is logged with the peer that called it; mutating methods at
/// information level, so the engine log says who drained, stopped or shut down what.
/// </summary>
public sealed class EngineRpcTarget : IDisposable
{
    private readonly IEngine engine;
    private readonly RpcPeer peer;
    private readonly JsonRpc rpc;
    private readonly IEngineLifetime? lifetime;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private StatusSubscription? statusSubscription;
    private EventsSubscription? eventsSubscription;

    public EngineRpcTarget(IEngine engine, RpcPeer peer, JsonRpc rpc, IEngineLifetime? lifetime, TimeProvider time, ILogger logger)
    {
        this.engine = engine;
        this.peer = peer;
        this.rpc = rpc;
        this.lifetime = lifetime;
        this.time = time;
        this.logger = logger;
    }

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

    /// <summary>Starts a one-off agent from a prompt.</summary>
    [JsonRpcMethod("spawn", UseSingleObjectParameterDeserialization = true)]
    public Task<AgentInfo> SpawnAsync(SpawnParams request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        logger.LogInformation("rpc spawn from {Peer}", peer);
        return engine.SpawnAsync(new SpawnRequest { Prompt = request.Prompt, RequestedBy = Caller }, cancellationToken);
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
            statusSubscription ??= new StatusSubscription(engine, rpc, peer, time, logger);
        }

        if (topics.Contains("events"))
        {
            if (eventsSubscription is { } previous)
            {
                await previous.DisposeAsync().ConfigureAwait(false);
            }

            eventsSubscription = new EventsSubscription(engine, rpc, peer, request?.Agents ?? [], request?.Lines ?? true, time, logger);
        }

        return new SubscribeResult(topics, engine.Snapshot.Revision);
    }

    /// <summary>Stops the notifications of this connection.</summary>
    [JsonRpcMethod("events.unsubscribe")]
    public async Task<OkResult> UnsubscribeAsync()
    {
        if (statusSubscription is { } status)
        {
            statusSubscription = null;
            await status.DisposeAsync().ConfigureAwait(false);
        }

        if (eventsSubscription is { } events)
        {
            eventsSubscription = null;
            await events.DisposeAsync().ConfigureAwait(false);
        }

        return new OkResult();
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

    /// <summary>The address and credentials for <c>opencode attach</c> on an agent's session.</summary>
    [JsonRpcMethod("agent.attach", UseSingleObjectParameterDeserialization = true)]
    public Task<AttachInfo> GetAttachInfoAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Information level: this hands out the opencode server's password, so the log says to whom.
        logger.LogInformation("rpc agent.attach {Agent} from {Peer}", request.Agent, peer);
        RequireName(request.Agent);
        return engine.GetAttachInfoAsync(request.Agent, cancellationToken);
    }

    /// <summary>The project's sessions from the session registry, newest first.</summary>
    [JsonRpcMethod("sessions.list")]
    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken)
    {
        logger.LogDebug("rpc sessions.list from {Peer}", peer);
        return engine.ListSessionsAsync(cancellationToken);
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

    public void Dispose()
    {
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
