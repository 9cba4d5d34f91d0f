using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>Speaks raw newline-delimited JSON to an engine socket, the way a script would.</summary>
public sealed class RawRpcClient : IDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;
    private int nextId;

    private RawRpcClient(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: false);
        reader = new StreamReader(stream, new UTF8Encoding(false));
    }

    public static async Task<RawRpcClient> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
        return new RawRpcClient(socket);
    }

    /// <summary>Sends one line as is and returns the next line received.</summary>
    public async Task<JsonObject> SendRawAsync(string line)
    {
        await WriteRawAsync(line + "\n").ConfigureAwait(false);
        return await ReadAsync().ConfigureAwait(false);
    }

    public async Task WriteRawAsync(string text)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the sending side, as a client that has said everything does; replies can still be read.</summary>
    public void ShutdownSend() => socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads the next message; fails the test if the connection closes or nothing arrives in time.</summary>
    public async Task<JsonObject> ReadAsync()
    {
        string? line = await Eventually.WithinAsync(reader.ReadLineAsync(), "a reply from the engine").ConfigureAwait(false);
        Assert.That(line, Is.Not.Null, "the engine closed the connection");
        return JsonNode.Parse(line!)!.AsObject();
    }

    /// <summary>Returns null when the engine closed the connection.</summary>
    public async Task<string?> ReadLineOrEndAsync() =>
        await Eventually.WithinAsync(reader.ReadLineAsync(), "a line or the end of the connection").ConfigureAwait(false);

    /// <summary>Calls a method and returns the whole response object.</summary>
    public Task<JsonObject> CallAsync(string method, object? parameters = null)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = ++nextId, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = JsonSerializer.SerializeToNode(parameters);
        }

        return SendRawAsync(request.ToJsonString());
    }

    public void Dispose()
    {
        reader.Dispose();
        stream.Dispose();
        socket.Dispose();
    }
}
