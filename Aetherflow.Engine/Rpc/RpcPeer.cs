namespace Aetherflow.Engine.Rpc;

/// <summary>One connected client, for logging and per-connection state.</summary>
public sealed record RpcPeer(long ConnectionId, PeerCredentials? Credentials)
{
    /// <summary>Short text for logs, e.g. <c>#3 pid 4242</c>.</summary>
    public override string ToString() => Credentials is { } c ? $"#{ConnectionId} pid {c.Pid}" : $"#{ConnectionId}";
}
