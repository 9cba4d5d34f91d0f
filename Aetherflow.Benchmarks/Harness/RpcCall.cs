using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>One JSON-RPC call over an engine socket, the way a script makes it.</summary>
internal static class RpcCall
{
    public static async Task<JsonNode> CallAsync(string socketPath, string method, string parameters, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{parameters}}}""" + "\n"), cancellationToken);
        using var reader = new StreamReader(stream);
        string reply = await reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), cancellationToken) ?? throw new IOException($"{method}: the engine closed the connection");
        JsonNode node = JsonNode.Parse(reply)!;
        return node["error"] is { } error ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}") : node["result"]!;
    }
}
