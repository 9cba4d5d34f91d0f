using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Commands;

/// <summary>Every client command says in one line that no engine runs and how to start one, with exit code 3.</summary>
public sealed class NoEngineTests
{
    [TestCase("status")]
    [TestCase("status", "ghost_wolf", "--json")]
    [TestCase("logs", "ghost_wolf", "-f")]
    [TestCase("sessions", "--json")]
    [TestCase("session", "attach", "ses_abc")]
    [TestCase("drain")]
    [TestCase("pause")]
    [TestCase("resume", "--json")]
    [TestCase("stop", "ghost_wolf")]
    [TestCase("steer", "ghost_wolf", "hello")]
    [TestCase("shutdown", "--force")]
    [TestCase("rpc", "call", "status.get")]
    public async Task A_client_command_without_an_engine_says_how_to_start_one(params string[] args)
    {
        using var home = new TestHome();

        var (code, output, error) = await CliRunner.RunAsync(home.ProjectDirectory, home.Variables, args);

        Assert.That(code, Is.EqualTo(3));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"aetherflow: no aetherflow engine is running on {home.SocketPath()}; start one with 'aetherflow' (dashboard) or 'aetherflow --headless'\n"));
    }
}
