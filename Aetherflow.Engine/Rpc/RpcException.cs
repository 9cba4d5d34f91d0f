using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>Creates the user-facing errors RPC methods throw: a code and one plain line, never a stack trace.</summary>
public static class RpcException
{
    public static LocalRpcException Create(int code, string message) => new(message) { ErrorCode = code };

    public static LocalRpcException NotFound(string message) => Create(RpcErrorCodes.NotFound, message);

    public static LocalRpcException InvalidParams(string message) => Create(RpcErrorCodes.InvalidParams, message);

    public static LocalRpcException Conflict(string message) => Create(RpcErrorCodes.Conflict, message);

    public static LocalRpcException Unsupported(string message) => Create(RpcErrorCodes.Unsupported, message);
}
