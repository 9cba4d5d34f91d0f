using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

/// <summary>The real executable in headless mode, driven over its socket and stopped with signals.</summary>
[NonParallelizable]
public sealed class HeadlessProcessTests
{
    [Test]
    public async Task Headless_serves_hello_until_SIGTERM_then_exits_cleanly()
    {
        using var home = new TestHome("headless-demo");
        using TestProcess engine = TestProcess.Start(home.ProjectDirectory, home.Variables, "--headless");
        string socket = home.SocketPath("headless-demo");
        await Wait.UntilAsync(() => File.Exists(socket) || engine.Process.HasExited, "the engine socket");
        Assert.That(engine.Process.HasExited, Is.False, engine.Error);

        JsonNode hello = await CallAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"engine.hello"}""");
        Assert.That(hello["result"]!["pid"]!.GetValue<int>(), Is.EqualTo(engine.Process.Id));

        Assert.That(Kill(engine.Process.Id, 15), Is.Zero);
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(engine.Process.ExitCode, Is.Zero, engine.Error);
        Assert.That(File.Exists(socket), Is.False, "the socket is removed on a clean stop");
        Assert.That(engine.Error, Does.Contain("listening on " + socket));
    }

    [Test]
    public async Task A_second_headless_engine_on_the_project_fails_fast_naming_the_first()
    {
        using var home = new TestHome("twice");
        using TestProcess first = TestProcess.Start(home.ProjectDirectory, home.Variables, "--headless");
        await Wait.UntilAsync(() => File.Exists(home.SocketPath("twice")) || first.Process.HasExited, "the first engine's socket");

        using TestProcess second = TestProcess.Start(home.ProjectDirectory, home.Variables, "--headless");
        await second.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(second.Process.ExitCode, Is.EqualTo(1));
        Assert.That(second.Error, Does.Contain($"already running for project 'twice' (pid {first.Process.Id})"));
        Assert.That(first.Process.HasExited, Is.False);
    }

    private static async Task<JsonNode> CallAsync(string socketPath, string line)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        using var reader = new StreamReader(stream);
        string? reply = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return JsonNode.Parse(reply!)!;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
