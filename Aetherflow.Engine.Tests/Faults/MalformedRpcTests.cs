using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Faults;

/// <summary>Fault 6: a thousand malformed JSON-RPC frames leave the engine alive and responsive.</summary>
[NonParallelizable]
public sealed class MalformedRpcTests
{
    private static readonly string[] Garbage =
    [
        "{not json",
        "[]",
        "42",
        "\"text\"",
        "null",
        "{\"jsonrpc\":\"2.0\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}",
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"status.get\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":{\"nested\":true},\"method\":\"status.get\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"engine.hello\",\"params\":{\"protocol_version\":\"nine\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"agent.stop\",\"params\":[1,2,3]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events.read\",\"params\":{\"agent\":\"x\",\"limit\":-5}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no.such.method\"}",
        "\u0000\u0001\u0002binary",
        "{\"a\":" + new string('[', 200) + new string(']', 200) + "}",
    ];

    [Test]
    public async Task A_thousand_malformed_frames_get_error_replies_and_the_engine_stays_responsive()
    {
        using var home = new TestHome();
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        int errors = 0;
        for (int connection = 0; connection < 10; connection++)
        {
            using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
            for (int i = 0; i < 100; i++)
            {
                JsonObject reply = await client.SendRawAsync(Garbage[(connection * 100 + i) % Garbage.Length]);
                errors += reply["error"] is not null ? 1 : 0;
            }

            Assert.That((await client.CallAsync("engine.hello"))["result"], Is.Not.Null, "the same connection still works");
        }

        using RawRpcClient fresh = await RawRpcClient.ConnectAsync(engine.SocketPath);
        Assert.That((await fresh.CallAsync("status.get"))["result"]!["project"]!.GetValue<string>(), Is.EqualTo("demo"));
        Assert.That(errors, Is.GreaterThanOrEqualTo(1000 - 100), "nearly every frame is an error (a few garbage lines are valid JSON-RPC requests with an error too)");
    }

    [Test]
    public async Task Half_closed_and_abandoned_connections_do_not_disturb_the_engine()
    {
        using var home = new TestHome();
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        for (int i = 0; i < 50; i++)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(engine.SocketPath));
            await socket.SendAsync(Encoding.UTF8.GetBytes(i % 2 == 0 ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status.get\"}" : "{\"jsonrpc\":\"2.0\",\"id\":1,"));
            socket.Shutdown(i % 3 == 0 ? SocketShutdown.Send : SocketShutdown.Both);
        }

        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);
        Assert.That((await client.CallAsync("engine.hello"))["result"], Is.Not.Null);
        await Eventually.TrueAsync(() => engine.Host.Engine.Snapshot is not null, "the engine to be alive");
    }

    [Test]
    public async Task A_trailing_request_without_a_newline_is_answered_before_a_half_close()
    {
        using var home = new TestHome();
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(engine.SocketPath));

        using var reader = new StreamReader(new NetworkStream(socket));
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"engine.hello\"}"));
        socket.Shutdown(SocketShutdown.Send);
        string? reply = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(reply, Does.Contain("\"id\":9").And.Contain("\"project\":\"demo\""));
    }
}
