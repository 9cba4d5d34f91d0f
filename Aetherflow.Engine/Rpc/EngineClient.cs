using System.Net.Sockets;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// A .NET client of an engine's socket: typed calls for every method, and <c>status.changed</c> pushes. The CLI and
/// the dashboard's remote mode use it.
/// </summary>
public sealed class EngineClient : IAsyncDisposable
{
    private readonly JsonRpc rpc;

    private EngineClient(JsonRpc rpc)
    {
        this.rpc = rpc;
    }

    /// <summary>Raised for every <c>status.changed</c> push, on a background thread.</summary>
    public event EventHandler<EngineSnapshot>? StatusChanged;

    /// <summary>Raised once when the connection is lost.</summary>
    public event EventHandler<string>? Disconnected;

    /// <summary>Completes when the connection ends.</summary>
    public Task Completion => rpc.Completion;

    /// <summary>
    /// Connects to <paramref name="socketPath"/>; throws <see cref="EngineNotRunningException"/> when no engine
    /// listens there.
    /// </summary>
    public static async Task<EngineClient> ConnectAsync(string socketPath, CancellationToken cancellationToken) =>
        Over(await OpenSocketAsync(socketPath, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Only connects the socket (cheap), throwing <see cref="EngineNotRunningException"/> when no engine listens there;
    /// <see cref="Over"/> starts the client on it. The dashboard connects first, so a dead socket fails before it
    /// takes the terminal, and sets up JSON-RPC while it draws.
    /// </summary>
    public static async Task<Socket> OpenSocketAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.AccessDenied || !File.Exists(socketPath))
        {
            socket.Dispose();
            throw new EngineNotRunningException(socketPath, ex);
        }

        return socket;
    }

    /// <summary>A client on a socket connected with <see cref="OpenSocketAsync"/>; the client owns the socket from now on.</summary>
    public static EngineClient Over(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var stream = new NetworkStream(socket, ownsSocket: true);
        SystemTextJsonFormatter formatter = EngineJson.CreateFormatter();
        var handler = new NewLineDelimitedMessageHandler(stream, stream, formatter) { NewLine = NewLineDelimitedMessageHandler.NewLineStyle.Lf };
        var rpc = new JsonRpc(handler);
        var client = new EngineClient(rpc);
        rpc.AddLocalRpcMethod(RpcNotifications.StatusChanged, new Action<EngineSnapshot>(snapshot => client.StatusChanged?.Invoke(client, snapshot)));
        rpc.AddLocalRpcMethod(
            RpcNotifications.AgentEvents,
            new Action<string, string?, long>((agent, session_id, last_sequence) => client.EventsAppended?.Invoke(client, new AgentEventsAppended(agent, session_id ?? string.Empty, last_sequence))));
        rpc.AddLocalRpcMethod(
            RpcNotifications.SubscriptionDropped,
            new Action<string, IReadOnlyList<string>?>((reason, topics) => client.SubscriptionDropped?.Invoke(client, reason)));
        rpc.Disconnected += (_, e) => client.Disconnected?.Invoke(client, e.Description);
        rpc.StartListening();
        return client;
    }

    public Task<EngineIdentity> HelloAsync(CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<EngineIdentity>("engine.hello", new HelloRequest { ProtocolVersion = BuildInfo.ProtocolVersion, Client = $"aetherflow {BuildInfo.Version}" }, cancellationToken);

    public Task<EngineSnapshot> GetStatusAsync(CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync<EngineSnapshot>("status.get", [], cancellationToken);

    /// <summary>Raised for every <c>agent.events</c> push (sequence numbers only: subscribe with <c>lines: false</c>), on a background thread.</summary>
    public event EventHandler<AgentEventsAppended>? EventsAppended;

    /// <summary>Raised when the engine drops this client for not reading its notifications (the connection closes next).</summary>
    public event EventHandler<string>? SubscriptionDropped;

    /// <summary>Subscribes to status changes and, as sequence numbers only, to every agent's new events.</summary>
    public Task<SubscribeResult> SubscribeAsync(CancellationToken cancellationToken) =>
        SubscribeAsync(new SubscribeRequest { Topics = ["status", "events"], Lines = false }, cancellationToken);

    /// <summary>
    /// Subscribes as <paramref name="request"/> says. <see cref="EventsAppended"/> carries sequence numbers only, so ask
    /// for <c>Lines = false</c> and read the events with <see cref="ReadEventsAsync"/>.
    /// </summary>
    public Task<SubscribeResult> SubscribeAsync(SubscribeRequest request, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<SubscribeResult>("events.subscribe", request, cancellationToken);

    public Task<SubscribeResult> UnsubscribeAsync(CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<SubscribeResult>("events.unsubscribe", new UnsubscribeRequest(), cancellationToken);

    public Task<IReadOnlyList<QueuedTask>> GetQueueAsync(CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync<IReadOnlyList<QueuedTask>>("tasks.queue", [], cancellationToken);

    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync<IReadOnlyList<SessionInfo>>("sessions.list", [], cancellationToken);

    public Task<SessionAttachInfo> GetSessionAttachAsync(string sessionId, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<SessionAttachInfo>("session.attach", new SessionRequest { SessionId = sessionId }, cancellationToken);

    public Task<AgentDetail> GetAgentAsync(string agent, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<AgentDetail>("agent.get", new AgentRequest { Agent = agent }, cancellationToken);

    public Task<EventPage> ReadEventsAsync(string agent, long afterSequence, int limit, bool raw, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<EventPage>("events.read", new EventsReadRequest { Agent = agent, AfterSequence = afterSequence, Limit = limit, Raw = raw }, cancellationToken);

    public Task<PermissionRequestInfo> AnswerPermissionAsync(string agent, PermissionReply reply, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<PermissionRequestInfo>("agent.permission", new PermissionAnswerRequest { Agent = agent, Reply = reply.ToString().ToLowerInvariant() }, cancellationToken);

    public Task<PoolModeResult> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken) =>
        rpc.InvokeWithCancellationAsync<PoolModeResult>(
            mode switch { PoolMode.Draining => "pool.drain", PoolMode.Paused => "pool.pause", _ => "pool.resume" },
            [],
            cancellationToken);

    /// <summary>Spawns an agent; with <paramref name="detached"/> false it is stopped if this connection closes first.</summary>
    public Task<AgentInfo> SpawnAsync(string prompt, bool? solo, bool detached, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<AgentInfo>("spawn", new SpawnParams { Prompt = prompt, Solo = solo, Detached = detached }, cancellationToken);

    public Task SteerAsync(string agent, string message, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<OkResult>("agent.steer", new SteerRequest { Agent = agent, Message = message }, cancellationToken);

    public Task StopAgentAsync(string agent, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<OkResult>("agent.stop", new AgentRequest { Agent = agent }, cancellationToken);

    public Task<SessionAttachInfo> GetAgentAttachAsync(string agent, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<SessionAttachInfo>("agent.attach", new AgentRequest { Agent = agent }, cancellationToken);

    public Task<ShutdownResult> ShutdownAsync(bool force, CancellationToken cancellationToken) =>
        rpc.InvokeWithRecordAsync<ShutdownResult>("engine.shutdown", new ShutdownRequest { Force = force }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        rpc.Dispose();
        return ValueTask.CompletedTask;
    }
}
