using System.Diagnostics;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Faults;

/// <summary>Fault 10: another local user's process cannot use the engine's socket.</summary>
[NonParallelizable]
public sealed class ForeignUserTests
{
    private const string Client = """
        import os, socket, sys
        os.setgid(65534)
        os.setuid(65534)
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(sys.argv[1])
        except PermissionError:
            print("refused: no access to the socket")
            sys.exit(0)
        s.settimeout(10)
        try:
            s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"status.get"}\n')
        except OSError:
            pass
        print("reply: " + s.makefile().readline().strip())
        """;

    [Test]
    public async Task Another_user_cannot_reach_the_socket_through_its_private_folder()
    {
        Assume.That(Aetherflow.Engine.Platform.UnixNative.GetEffectiveUserId(), Is.Zero, "switching to another user needs root, as in CI");
        using var home = new TestHome();
        await using RunningEngine engine = await RunningEngine.StartAsync(home);

        string output = await RunAsOtherUserAsync(engine.SocketPath);

        Assert.That(output, Does.StartWith("refused"));
    }

    [Test]
    public async Task Another_user_is_refused_by_the_engine_even_if_the_folder_were_opened_up()
    {
        Assume.That(Aetherflow.Engine.Platform.UnixNative.GetEffectiveUserId(), Is.Zero, "switching to another user needs root, as in CI");
        using var home = new TestHome();
        await using RunningEngine engine = await RunningEngine.StartAsync(home);

        // Simulate a misconfigured, world-accessible runtime folder: the peer check must still refuse.
        string folder = Path.GetDirectoryName(engine.SocketPath)!;
        for (string? dir = folder; dir is not null && dir.StartsWith(home.Root, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }

        File.SetUnixFileMode(engine.SocketPath, (UnixFileMode)0b110_110_110);
        string output = await RunAsOtherUserAsync(engine.SocketPath);

        Assert.That(output, Does.Contain("refused: uid 65534 may not use another user's engine"));
        Assert.That(output, Does.Not.Contain("\"result\""));
    }

    private static async Task<string> RunAsOtherUserAsync(string socketPath)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Client);
        start.ArgumentList.Add(socketPath);
        using Process python = Process.Start(start)!;
        string output = await python.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        string error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(python.ExitCode, Is.Zero, error);
        return output;
    }
}
