using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// An engine in another process, seen through its socket with the same <see cref="IEngine"/> interface as the
/// in-process one: the snapshot is kept current by <c>status.changed</c> pushes, commands become RPC calls.
/// </summary>
public sealed class RemoteEngine : IEngine, IAsyncDisposable
{
    private readonly EngineClient client;
    private EngineSnapshot snapshot;

    private RemoteEngine(EngineClient client, EngineIdentity identity, EngineSnapshot snapshot, string socketPath)
    {
        this.client = client;
        Identity = identity;
        this.snapshot = snapshot;
        SocketPath = socketPath;
        client.StatusChanged += (_, next) =>
        {
            // Pushes are coalesced and ordered on one connection; still, never go back in time.
            EngineSnapshot current = Volatile.Read(ref this.snapshot);
            if (next.Revision > current.Revision)
            {
                Volatile.Write(ref this.snapshot, next);
                SnapshotChanged?.Invoke(this, next);
            }
        };
        client.Disconnected += (_, reason) => Disconnected?.Invoke(this, reason);
        client.EventsAppended += (_, appended) => EventsAppended?.Invoke(this, appended);
    }

    public event EventHandler<EngineSnapshot>? SnapshotChanged;

    public event EventHandler<AgentEventsAppended>? EventsAppended;

    /// <summary>Raised when the connection to the engine is lost.</summary>
    public event EventHandler<string>? Disconnected;

    public EngineIdentity Identity { get; }

    public EngineSnapshot Snapshot => Volatile.Read(ref snapshot);

    /// <summary>The socket this engine is reached through.</summary>
    public string SocketPath { get; }

    /// <summary>Connects, says hello, subscribes to changes and reads the current state.</summary>
    public static async Task<RemoteEngine> ConnectAsync(string socketPath, CancellationToken cancellationToken) =>
        await StartAsync(await EngineClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false), socketPath, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// As <see cref="ConnectAsync(string, CancellationToken)"/> on a socket already connected with
    /// <see cref="EngineClient.OpenSocketAsync"/> (which it owns from now on).
    /// </summary>
    public static async Task<RemoteEngine> ConnectAsync(System.Net.Sockets.Socket connected, string socketPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connected);
        EngineClient client;
        try
        {
            client = EngineClient.Over(connected);
        }
        catch
        {
            connected.Dispose();
            throw;
        }

        return await StartAsync(client, socketPath, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<RemoteEngine> StartAsync(EngineClient client, string socketPath, CancellationToken cancellationToken)
    {
        try
        {
            EngineIdentity identity = await client.HelloAsync(cancellationToken).ConfigureAwait(false);
            await client.SubscribeAsync(cancellationToken).ConfigureAwait(false);
            EngineSnapshot current = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            return new RemoteEngine(client, identity, current, socketPath);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<AgentDetail> GetAgentAsync(string agentName, CancellationToken cancellationToken) => client.GetAgentAsync(agentName, cancellationToken);

    public Task<EventPage> ReadEventsAsync(string agentName, long afterSequence, int limit, bool raw, CancellationToken cancellationToken) =>
        client.ReadEventsAsync(agentName, afterSequence, limit, raw, cancellationToken);

    public Task<PermissionRequestInfo> AnswerPermissionAsync(string agentName, PermissionReply reply, CancellationToken cancellationToken) =>
        client.AnswerPermissionAsync(agentName, reply, cancellationToken);

    public async Task<PoolMode> SetPoolModeAsync(PoolMode mode, CancellationToken cancellationToken) =>
        (await client.SetPoolModeAsync(mode, cancellationToken).ConfigureAwait(false)).Mode;

    public Task<AgentInfo> SpawnAsync(SpawnRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return client.SpawnAsync(request.Prompt, request.Solo, detached: true, cancellationToken);
    }

    public Task SteerAsync(string agentName, string message, string sender, CancellationToken cancellationToken) =>
        client.SteerAsync(agentName, message, cancellationToken);

    public Task StopAgentAsync(string agentName, string requestedBy, CancellationToken cancellationToken) =>
        client.StopAgentAsync(agentName, cancellationToken);

    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken) => client.ListSessionsAsync(cancellationToken);

    public Task<SessionAttachInfo> GetSessionAttachAsync(string sessionId, CancellationToken cancellationToken) =>
        client.GetSessionAttachAsync(sessionId, cancellationToken);

    public Task<SessionAttachInfo> GetAgentAttachAsync(string agentName, CancellationToken cancellationToken) =>
        client.GetAgentAttachAsync(agentName, cancellationToken);

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
