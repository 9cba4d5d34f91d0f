using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Opencode;

/// <summary>
/// Process handling of <see cref="OpencodeServer"/> on a fake clock, with a stand-in for <c>opencode serve</c> that
/// starts in milliseconds: environment, restart backoff, giving up, the SIGTERM grace period and startup failures.
/// </summary>
public sealed class OpencodeSupervisionTests
{
    private FakeOpencode fake = null!;
    private FakeTimeProvider clock = null!;
    private readonly List<OpencodeServerStateChangedEventArgs> changes = [];

    [SetUp]
    public void CreateFake()
    {
        fake = new FakeOpencode();
        clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        lock (changes)
        {
            changes.Clear();
        }
    }

    [TearDown]
    public void DeleteFake() => fake.Dispose();

    [Test]
    public async Task The_server_gets_a_password_permissions_and_isolated_folders_but_keeps_given_variables()
    {
        await using OpencodeServer server = Create(new() { ["KEEP_ME"] = "yes" }, externalDirectory: OpencodePermissionAction.Ask, configContent: "{\"model\":\"x/y\"}");
        await server.StartAsync();

        JsonObject env = await FakeOpencode.EnvironmentOfAsync(server.Connection);

        string home = fake.Root.Combine("home");
        Assert.That(env["OPENCODE_SERVER_PASSWORD"]!.GetValue<string>(), Is.EqualTo(server.Connection.Password));
        JsonNode permission = JsonNode.Parse(env["OPENCODE_PERMISSION"]!.GetValue<string>())!;
        Assert.That(permission.ToJsonString(), Is.EqualTo("{\"question\":\"deny\",\"read\":\"allow\",\"external_directory\":\"ask\",\"doom_loop\":\"allow\"}"));
        Assert.That(env["OPENCODE_DISABLE_AUTOUPDATE"]!.GetValue<string>(), Is.EqualTo("1"));
        Assert.That(env["OPENCODE_CONFIG_CONTENT"]!.GetValue<string>(), Is.EqualTo("{\"model\":\"x/y\"}"));
        Assert.That(env["OPENCODE_DISABLE_MODELS_FETCH"]!.GetValue<string>(), Is.EqualTo("1"));
        Assert.That(env["HOME"]!.GetValue<string>(), Is.EqualTo(home));
        Assert.That(env["XDG_CONFIG_HOME"]!.GetValue<string>(), Is.EqualTo(Path.Combine(home, ".config")));
        Assert.That(env["XDG_DATA_HOME"]!.GetValue<string>(), Is.EqualTo(Path.Combine(home, ".local", "share")));
        Assert.That(env["KEEP_ME"]!.GetValue<string>(), Is.EqualTo("yes"));
        Assert.That(env.ContainsKey("AETHERFLOW_TEST_OPENCODE"), Is.False, "nothing is inherited beyond the given environment");
        Assert.That(File.ReadAllText(Path.Combine(home, ".config", "opencode", "package.json")), Does.Contain("\"@opencode-ai/plugin\":\"1.18.33\""));
        Assert.That(Directory.Exists(Path.Combine(home, ".config", "opencode", "node_modules")), Is.True);
    }

    [Test]
    public async Task Without_config_options_the_users_opencode_configuration_is_left_alone()
    {
        await using OpencodeServer server = new(new OpencodeServerOptions
        {
            ExecutablePath = fake.ExecutablePath,
            WorkingDirectory = fake.Root.Path,
            Environment = new Dictionary<string, string>(fake.Environment()) { ["OPENCODE_CONFIG_CONTENT"] = "{\"users\":\"own\"}", ["HOME"] = "/home/someone" },
            TimeProvider = clock,
        });
        await server.StartAsync();

        JsonObject env = await FakeOpencode.EnvironmentOfAsync(server.Connection);

        Assert.That(env["OPENCODE_CONFIG_CONTENT"]!.GetValue<string>(), Is.EqualTo("{\"users\":\"own\"}"));
        Assert.That(env["HOME"]!.GetValue<string>(), Is.EqualTo("/home/someone"));
        Assert.That(env.ContainsKey("OPENCODE_DISABLE_MODELS_FETCH"), Is.False);
    }

    [Test]
    public async Task Restarts_wait_on_the_clock_and_back_off_exponentially_until_a_run_is_stable()
    {
        await using OpencodeServer server = Create();
        await server.StartAsync();

        OpencodeServerStateChangedEventArgs first = await CrashAndWaitForRestartingAsync(server);
        Assert.That(first.RetryIn, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(fake.Starts, Has.Count.EqualTo(1), "nothing starts before the backoff elapsed");
        clock.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => server.State == OpencodeServerState.Running, "the first restart");

        OpencodeServerStateChangedEventArgs second = await CrashAndWaitForRestartingAsync(server);
        Assert.That(second.RetryIn, Is.EqualTo(TimeSpan.FromHours(2)), "a crash soon after a restart doubles the delay");
        clock.Advance(TimeSpan.FromHours(2));
        await Eventually.TrueAsync(() => server.State == OpencodeServerState.Running, "the second restart");

        clock.Advance(TimeSpan.FromMinutes(1));
        OpencodeServerStateChangedEventArgs third = await CrashAndWaitForRestartingAsync(server);
        Assert.That(third.RetryIn, Is.EqualTo(TimeSpan.FromHours(1)), "a stable run resets the backoff");
        clock.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => server.State == OpencodeServerState.Running, "the third restart");

        Assert.That(server.Restarts, Is.EqualTo(3));
        Assert.That(fake.Starts.Select(s => s.Port).Distinct().Single(), Is.EqualTo(server.BaseAddress.Port), "every restart reuses the port");
        Assert.That((await server.CreateClient().GetHealthAsync()).Healthy, Is.True);
    }

    [Test]
    public async Task A_restart_moves_to_another_port_when_its_port_was_taken()
    {
        await using OpencodeServer server = Create();
        await server.StartAsync();
        int oldPort = server.BaseAddress.Port;
        using OpencodeClient client = server.CreateClient();

        await CrashAndWaitForRestartingAsync(server);
        using var squatter = new TcpListener(IPAddress.Loopback, oldPort);

        // The killed server's process group may still be closing its listening socket when the crash is noticed.
        await Eventually.TrueAsync(() => TryListen(squatter), "the crashed server's port to be free for the squatter");
        clock.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => server.State == OpencodeServerState.Running, "the restart on another port");

        Assert.That(server.BaseAddress.Port, Is.Not.EqualTo(oldPort));
        Assert.That((await client.GetHealthAsync()).Healthy, Is.True, "a client made before the restart follows the server");
        lock (changes)
        {
            Assert.That(changes[^1].BaseAddress, Is.EqualTo(server.BaseAddress));
        }
    }

    [Test]
    public async Task Supervision_gives_up_after_too_many_failed_restarts()
    {
        await using OpencodeServer server = Create(maxRestarts: 2);
        await server.StartAsync();
        fake.Mode = "exit";

        await CrashAndWaitForRestartingAsync(server);
        clock.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => RestartingCount() == 2, "the first restart to fail");
        clock.Advance(TimeSpan.FromHours(2));
        await Eventually.TrueAsync(() => ChangesSince(0).LastOrDefault()?.State == OpencodeServerState.Failed, "supervision to give up");

        Assert.That(fake.Starts, Has.Count.EqualTo(3));
        lock (changes)
        {
            Assert.That(changes[^1].Reason, Does.Contain("the restart failed: opencode serve exited with code 3").And.Contain("gave up after 2 restarts in a row"));
            Assert.That(changes.Count(c => c.State == OpencodeServerState.Restarting), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_server_that_ignores_sigterm_is_killed_after_the_grace_period()
    {
        fake.Mode = "ignore-term";
        OpencodeServer server = Create();
        await server.StartAsync();
        int pid = server.ProcessId!.Value;
        DateTimeOffset before = clock.GetUtcNow();

        Task stop = server.StopAsync();
        await AdvanceUntilAsync(() => stop.IsCompleted, "the stop", TimeSpan.FromSeconds(1));
        await stop;
        await server.DisposeAsync();

        Assert.That(fake.IgnoredTerm, Is.True, "SIGTERM came first");
        Assert.That(clock.GetUtcNow() - before, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(5)), "SIGKILL only after the 5 s grace period");
        await Eventually.TrueAsync(() => UnixNative.Kill(-pid, 0) == -1, "every process of the group to be gone");
        Assert.That(server.State, Is.EqualTo(OpencodeServerState.Stopped));
    }

    [Test]
    public async Task A_server_that_exits_at_once_fails_the_start_with_its_output()
    {
        fake.Mode = "exit";
        await using OpencodeServer server = Create();

        var error = await Assert.ThrowsAsync<OpencodeServerException>(() => server.StartAsync());

        Assert.That(error!.Message, Does.Contain("exited with code 3 before it was listening: Error: something broke"));
        Assert.That(error.Message, Does.Not.Contain('\n'));
        Assert.That(server.State, Is.EqualTo(OpencodeServerState.Failed));
    }

    [Test]
    public async Task A_server_that_never_says_it_listens_fails_the_start_at_the_timeout_and_is_stopped()
    {
        fake.Mode = "silent";
        await using OpencodeServer server = Create();

        Task start = server.StartAsync();
        await Eventually.TrueAsync(() => fake.Starts.Count == 1, "the process to start");
        clock.Advance(TimeSpan.FromSeconds(59));
        bool gaveUpEarly = start.IsCompleted;
        await AdvanceUntilAsync(() => start.IsCompleted, "the start to time out", TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<OpencodeServerException>(() => start);

        Assert.That(gaveUpEarly, Is.False);
        Assert.That(error!.Message, Does.Contain("was not ready within 60s").And.Not.Contain('\n'));
        await Eventually.TrueAsync(() => UnixNative.Kill(-fake.Starts.Single().Pid, 0) == -1, "the silent process to be stopped");
    }

    [Test]
    public async Task A_missing_binary_fails_the_start_with_what_to_do()
    {
        await using OpencodeServer server = new(new OpencodeServerOptions { ExecutablePath = fake.Root.Combine("nope", "opencode"), TimeProvider = clock });

        var error = await Assert.ThrowsAsync<OpencodeServerException>(() => server.StartAsync());

        Assert.That(error!.Message, Is.EqualTo($"opencode was not found at {fake.Root.Combine("nope", "opencode")}; install opencode or point the opencode binary setting at it"));
    }

    private OpencodeServer Create(
        Dictionary<string, string>? extra = null, OpencodePermissionAction externalDirectory = OpencodePermissionAction.Allow, string? configContent = null, int maxRestarts = 10)
    {
        var server = new OpencodeServer(new OpencodeServerOptions
        {
            ExecutablePath = fake.ExecutablePath,
            WorkingDirectory = fake.Root.Path,
            Environment = fake.Environment(),
            ExtraEnvironment = extra ?? new Dictionary<string, string>(),
            IsolatedHome = fake.Root.Combine("home"),
            ConfigContent = configContent,
            DisableModelsFetch = true,
            ExternalDirectory = externalDirectory,
            RestartDelay = TimeSpan.FromHours(1),
            MaxRestartDelay = TimeSpan.FromHours(8),
            StableRunTime = TimeSpan.FromMinutes(1),
            MaxConsecutiveRestarts = maxRestarts,
            LifetimeLimit = TimeSpan.FromMinutes(5),
            TimeProvider = clock,
            Logger = new ProgressLogger("opencode-fake"),
        });
        server.StateChanged += (_, change) =>
        {
            lock (changes)
            {
                changes.Add(change);
            }
        };
        return server;
    }

    private int RestartingCount() => ChangesSince(0).Count(c => c.State == OpencodeServerState.Restarting);

    /// <summary>Starts <paramref name="listener"/>; false while its port is still held by someone else.</summary>
    private static bool TryListen(TcpListener listener)
    {
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    /// <summary>Kills the server's whole group (a crash) and returns the Restarting change that follows.</summary>
    private async Task<OpencodeServerStateChangedEventArgs> CrashAndWaitForRestartingAsync(OpencodeServer server)
    {
        int seen;
        lock (changes)
        {
            seen = changes.Count;
        }

        Assert.That(UnixNative.Kill(-server.ProcessId!.Value, UnixNative.SIGKILL), Is.EqualTo(0));
        // Waits on the changes themselves: the state is set a moment before its change is raised.
        await Eventually.TrueAsync(() => ChangesSince(seen).Any(c => c.State == OpencodeServerState.Restarting), "the server to notice the crash");
        return ChangesSince(seen).Single(c => c.State == OpencodeServerState.Restarting);
    }

    private List<OpencodeServerStateChangedEventArgs> ChangesSince(int seen)
    {
        lock (changes)
        {
            return changes.Skip(seen).ToList();
        }
    }

    /// <summary>Advances the fake clock in steps until <paramref name="condition"/> holds (the code under test waits on it).</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan step)
    {
        DateTime deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            clock.Advance(step);
            await Task.Delay(20);
        }
    }
}
