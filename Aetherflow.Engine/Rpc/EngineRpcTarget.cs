using Aetherflow.Engine.Api;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>The JSON-RPC methods of one connection. Every method is logged with the peer that called it.</summary>
public sealed class EngineRpcTarget
{
    private readonly IEngine engine;
    private readonly RpcPeer peer;
    private readonly ILogger logger;

    public EngineRpcTarget(IEngine engine, RpcPeer peer, ILogger logger)
    {
        this.engine = engine;
        this.peer = peer;
        this.logger = logger;
    }

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

    /// <summary>Stops scheduling new tasks; crashed agents are still respawned.</summary>
    [JsonRpcMethod("pool.drain")]
    public Task<PoolModeResult> DrainAsync(CancellationToken cancellationToken) => SetModeAsync(PoolMode.Draining, cancellationToken);

    /// <summary>Stops scheduling and respawning; running agents keep running.</summary>
    [JsonRpcMethod("pool.pause")]
    public Task<PoolModeResult> PauseAsync(CancellationToken cancellationToken) => SetModeAsync(PoolMode.Paused, cancellationToken);

    /// <summary>Returns the pool to normal scheduling.</summary>
    [JsonRpcMethod("pool.resume")]
    public Task<PoolModeResult> ResumeAsync(CancellationToken cancellationToken) => SetModeAsync(PoolMode.Active, cancellationToken);

    private async Task<PoolModeResult> SetModeAsync(PoolMode mode, CancellationToken cancellationToken)
    {
        logger.LogInformation("rpc pool mode {Mode} from {Peer}", mode, peer);
        PoolMode result = await engine.SetPoolModeAsync(mode, cancellationToken).ConfigureAwait(false);
        return new PoolModeResult(result, engine.Snapshot.RunningPoolAgents);
    }
}
