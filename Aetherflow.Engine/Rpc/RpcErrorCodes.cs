namespace Aetherflow.Engine.Rpc;

/// <summary>JSON-RPC error codes the engine returns. The standard ones come first, then aetherflow's own.</summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>The client's protocol version is not supported.</summary>
    public const int ProtocolMismatch = -32010;

    /// <summary>No agent, task or session has that name or id.</summary>
    public const int NotFound = -32011;

    /// <summary>The request conflicts with the engine's state (pool full, agents still running…).</summary>
    public const int Conflict = -32012;

    /// <summary>This engine cannot do that (for example, no tracker is configured).</summary>
    public const int Unsupported = -32013;

    /// <summary>A frame larger than the maximum was sent; the connection is closed.</summary>
    public const int FrameTooLarge = -32014;
}
