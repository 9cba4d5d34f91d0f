using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode;

/// <summary>The managed server against the real opencode binary (offline, scripted model).</summary>
public sealed class OpencodeServerTests
{
    private OfflineOpencode shared = null!;

    [OneTimeSetUp]
    public async Task StartSharedServer() => shared = await OfflineOpencode.StartAsync();

    [OneTimeTearDown]
    public async Task StopSharedServer() => await shared.DisposeAsync();

    [Test]
    public async Task A_managed_server_starts_healthy_on_loopback_with_a_password()
    {
        OfflineOpencode opencode = shared;

        OpencodeHealth health = await opencode.Client.GetHealthAsync();

        Assert.That(opencode.Server.State, Is.EqualTo(OpencodeServerState.Running));
        Assert.That(opencode.Server.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(opencode.Server.Connection.Password, Is.Not.Null.And.Length.GreaterThanOrEqualTo(24));
        Assert.That(health.Healthy, Is.True);
        Assert.That(health.Version, Is.EqualTo(OpencodeConfigDirectory.TestedVersion));
        Assert.That(opencode.Server.Version, Is.EqualTo(OpencodeConfigDirectory.TestedVersion));
        Assert.That(UnixNative.GetProcessGroupId(opencode.Server.ProcessId!.Value), Is.EqualTo(opencode.Server.ProcessId), "the server leads its own process group");
    }

    [Test]
    public async Task A_wrong_or_missing_password_is_refused_with_401()
    {
        OfflineOpencode opencode = shared;
        using var wrong = new OpencodeClient(opencode.Server.Connection with { Password = "not-the-password" });
        using var missing = new OpencodeClient(opencode.Server.Connection with { Password = null });

        var wrongError = await Assert.ThrowsAsync<OpencodeApiException>(() => wrong.ListSessionsAsync());
        var missingError = await Assert.ThrowsAsync<OpencodeApiException>(() => missing.GetHealthAsync());

        Assert.That(wrongError!.IsUnauthorized, Is.True);
        Assert.That(wrongError.Message, Is.EqualTo("opencode GET /session failed: 401 Unauthorized: the server refused the credentials; check the opencode server password"));
        Assert.That(missingError!.IsUnauthorized, Is.True);
    }

    [Test]
    public async Task A_killed_server_is_restarted_by_supervision_and_answers_again()
    {
        await using OfflineOpencode opencode = await OfflineOpencode.StartAsync(restartDelay: TimeSpan.FromMilliseconds(200));
        var states = new List<OpencodeServerStateChangedEventArgs>();
        opencode.Server.StateChanged += (_, change) =>
        {
            lock (states)
            {
                states.Add(change);
            }
        };
        int firstPid = opencode.Server.ProcessId!.Value;
        Uri address = opencode.Server.BaseAddress;

        Assert.That(UnixNative.Kill(-firstPid, UnixNative.SIGKILL), Is.EqualTo(0));
        await Eventually.TrueAsync(() => opencode.Server.State == OpencodeServerState.Running && opencode.Server.Restarts == 1, "the server to be restarted", OfflineOpencode.TurnTimeout);
        OpencodeHealth health = await opencode.Client.GetHealthAsync();

        Assert.That(health.Healthy, Is.True);
        Assert.That(opencode.Server.ProcessId, Is.Not.EqualTo(firstPid));
        Assert.That(opencode.Server.BaseAddress, Is.EqualTo(address), "it keeps its port, so clients need not change");
        lock (states)
        {
            Assert.That(states.Select(s => s.State), Is.EqualTo(new[] { OpencodeServerState.Restarting, OpencodeServerState.Running }));
            Assert.That(states[0].Reason, Does.Contain($"pid {firstPid}").And.Contain("exited with code"));
            Assert.That(states[0].RetryIn, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(states[1].Restarts, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Stopping_ends_the_whole_process_group()
    {
        await using OfflineOpencode opencode = await OfflineOpencode.StartAsync();
        int pid = opencode.Server.ProcessId!.Value;

        await opencode.Server.StopAsync();

        Assert.That(opencode.Server.State, Is.EqualTo(OpencodeServerState.Stopped));
        Assert.That(opencode.Server.ProcessId, Is.Null);
        await Eventually.TrueAsync(() => UnixNative.Kill(-pid, 0) == -1, "every process of the group to be gone");
        var error = await Assert.ThrowsAsync<OpencodeApiException>(() => opencode.Client.GetHealthAsync());
        Assert.That(error!.Message, Does.StartWith("opencode GET /global/health failed: cannot reach http://127.0.0.1:"));
    }
}
