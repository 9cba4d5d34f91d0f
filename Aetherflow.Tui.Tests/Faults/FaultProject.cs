using System.Diagnostics;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Faults;

/// <summary>
/// A real project for fault tests: a git repository with a commit, the built-in task store, and the real
/// <c>aetherflow</c> binary run headless as a child process that tests can kill.
/// </summary>
internal sealed class FaultProject : IDisposable
{
    private readonly List<TestProcess> engines = [];

    public FaultProject(string name, string config)
    {
        Home = new TestHome(name);
        Name = name;
        foreach ((string key, string value) in new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "Aetherflow Tests",
            ["GIT_AUTHOR_EMAIL"] = "tests@aetherflow.invalid",
            ["GIT_COMMITTER_NAME"] = "Aetherflow Tests",
            ["GIT_COMMITTER_EMAIL"] = "tests@aetherflow.invalid",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        })
        {
            Home.Variables[key] = value;
        }

        Run("git", "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(Home.ProjectDirectory, "README.md"), "# fault test\n");
        Run("git", "add", "-A");
        Run("git", "commit", "-q", "-m", "Initial commit");
        Home.WriteConfig(config);
    }

    public TestHome Home { get; }

    public string Name { get; }

    public string SocketPath => Home.SocketPath(Name);

    /// <summary>Adds a task to the built-in store with the real CLI and returns its id.</summary>
    public string AddTask(string title)
    {
        using TestProcess add = TestProcess.Start(Home.ProjectDirectory, Home.Variables, "task", "add", "--", title);
        Assert.That(add.Process.WaitForExit(60_000), Is.True, "task add finished");
        add.Process.WaitForExit();
        Assert.That(add.Process.ExitCode, Is.Zero, add.Error);
        return add.Output.Trim().Split('\n')[0].Trim();
    }

    /// <summary>The status of a task in the built-in store.</summary>
    public string TaskStatus(string id)
    {
        using TestProcess show = TestProcess.Start(Home.ProjectDirectory, Home.Variables, "task", "show", id, "--json");
        Assert.That(show.Process.WaitForExit(60_000), Is.True, "task show finished");
        show.Process.WaitForExit();
        return System.Text.Json.JsonDocument.Parse(show.Output).RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>Starts <c>aetherflow --headless</c> and waits until it answers on its socket.</summary>
    public async Task<TestProcess> StartEngineAsync()
    {
        TestProcess engine = TestProcess.Start(Home.ProjectDirectory, Home.Variables, "--headless");
        engines.Add(engine);
        await Wait.UntilAsync(() => engine.Process.HasExited || CanConnect(), "the engine socket", TimeSpan.FromSeconds(60));
        Assert.That(engine.Process.HasExited, Is.False, engine.Error);
        return engine;
    }

    /// <summary>The engine's current state over its socket.</summary>
    public async Task<EngineSnapshot> StatusAsync()
    {
        await using EngineClient client = await EngineClient.ConnectAsync(SocketPath, CancellationToken.None);
        return await client.GetStatusAsync(CancellationToken.None);
    }

    public async Task UntilStatusAsync(Func<EngineSnapshot, bool> condition, string what, int seconds = 60)
    {
        EngineSnapshot? last = null;
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await StatusAsync();
                if (condition(last))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is EngineNotRunningException or IOException or StreamJsonRpc.ConnectionLostException)
            {
                // The engine is (re)starting.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"timed out waiting for: {what}; last status: agents [{string.Join(", ", last?.Agents.Select(a => $"{a.Name} {a.TaskId} {a.Activity}") ?? [])}], decisions [{string.Join(" | ", last?.Decisions.TakeLast(6).Select(d => d.Message) ?? [])}]");
    }

    public void Dispose()
    {
        foreach (TestProcess engine in engines)
        {
            engine.Dispose();
        }

        Home.Dispose();
    }

    private bool CanConnect()
    {
        try
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(SocketPath));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Home.ProjectDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in Home.Variables)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, process.StandardError.ReadToEnd());
    }
}
