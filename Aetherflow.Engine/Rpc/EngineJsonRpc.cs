using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// A <see cref="JsonRpc"/> whose error replies carry a code and a one-line message only. StreamJsonRpc's default puts
/// the whole .NET exception chain with stack traces into <c>error.data</c>; scripts need none of that.
/// </summary>
internal sealed class EngineJsonRpc : JsonRpc
{
    private readonly ILogger logger;

    public EngineJsonRpc(IJsonRpcMessageHandler handler, ILogger logger)
        : base(handler)
    {
        this.logger = logger;
    }

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        Exception error = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : exception;
        switch (error)
        {
            case LocalRpcException local:
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)local.ErrorCode, Message = OneLine(local.Message) };
            case KeyNotFoundException notFound:
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)RpcErrorCodes.NotFound, Message = OneLine(notFound.Message) };
            case NotSupportedException unsupported:
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)RpcErrorCodes.Unsupported, Message = OneLine(unsupported.Message) };
            case InvalidOperationException conflict:
                return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)RpcErrorCodes.Conflict, Message = OneLine(conflict.Message) };
            case OperationCanceledException:
                return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.RequestCanceled, Message = "the request was canceled" };
            case System.Text.Json.JsonException { Path: { Length: > 0 } path }:
                return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidParams, Message = $"invalid params for {request.Method}: {path.TrimStart('$', '.')} has the wrong type" };
            case System.Text.Json.JsonException or ArgumentException or FormatException:
                return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidParams, Message = $"invalid params for {request.Method}: {OneLine(error.Message)}" };
            default:
                logger.LogError(error, "RPC method {Method} failed", request.Method);
                return new JsonRpcError.ErrorDetail
                {
                    Code = JsonRpcErrorCode.InternalError,
                    Message = $"{request.Method} failed: {OneLine(error.Message)} (the engine log has details)",
                };
        }
    }

    private static string OneLine(string message)
    {
        int newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
