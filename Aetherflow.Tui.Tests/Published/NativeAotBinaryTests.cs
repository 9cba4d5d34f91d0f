using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Published;

/// <summary>
/// The shipped build — the Native AOT binary that <c>dotnet publish -r linux-x64</c> makes — run for real: trimming
/// and ahead-of-time compilation must not drop an RPC method, a JSON type, an embedded asset or a native library
/// that the JIT build (every other test) has. Each test drives one feature end to end with the published binary.
/// </summary>
[NonParallelizable]
public sealed class NativeAotBinaryTests
{
    private NativeAotBuild aot = null!;

    [OneTimeSetUp]
    public async Task PublishAsync() => aot = await NativeAotBuild.PublishAsync();

    [OneTimeTearDown]
    public void DeletePublished() => aot?.Dispose();

    [Test]
    public void The_binary_is_native_code_with_its_native_libraries_beside_it()
    {
        byte[] header = File.ReadAllBytes(aot.Executable)[..4];

        Assert.That(header, Is.EqualTo("\u007fELF"u8.ToArray()), "an ELF executable, not an apphost for a dll");
        Assert.That(File.Exists(Path.Combine(aot.Folder, "aetherflow.dll")), Is.False, "no IL to load");
        Assert.That(File.Exists(Path.Combine(aot.Folder, "libonigwrap.so")), Is.True, "Terminal.Gui's regex engine");
        Assert.That(File.Exists(Path.Combine(aot.Folder, "libe_sqlite3.so")), Is.True, "SQLite for the built-in task store");
    }

    [Test]
    public async Task A_headless_engine_on_a_fresh_project_serves_the_command_line_clients()
    {
        using var home = new TestHome("aot-cli");
        await CommandProject.InitAsync(home, "echo working on it; exit 0");
        using TestProcess engine = await StartHeadlessAsync(home, "aot-cli");

        (int statusCode, string statusText, string statusError) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "status");
        (int addCode, string added, string addError) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "task", "add", "Fix the login bug");
        (int listCode, string listed, _) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "task", "list", "--json");
        (int spawnCode, string spawned, string spawnError) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "spawn", "--json", "Say hello");
        (int pauseCode, string paused, _) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "pause", "--json");
        (int snapshotCode, string snapshot, _) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "status", "--json");
        (int configCode, string config, _) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "config", "--json");
        (int stopCode, _, string stopError) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "stop", "no_such_agent");
        (int rpcCode, string queue, string rpcError) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "rpc", "call", "tasks.queue");
        (int shutdownCode, string shutdown, _) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "shutdown", "--json");
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That((statusCode, addCode, listCode, spawnCode, pauseCode, snapshotCode, configCode, shutdownCode), Is.EqualTo((0, 0, 0, 0, 0, 0, 0, 0)), statusError + addError + spawnError);
        Assert.That(statusText, Does.Contain("aot-cli").And.Contain("headless"));
        JsonNode task = JsonNode.Parse(listed)!.AsArray().Single()!;
        Assert.That((task["id"]!.GetValue<string>(), task["title"]!.GetValue<string>(), task["status"]!.GetValue<string>()), Is.EqualTo((added.Trim(), "Fix the login bug", "open")));
        JsonNode agent = JsonNode.Parse(spawned)!;
        Assert.That((agent["origin"]!.GetValue<string>(), agent["activity"]!.GetValue<string>(), agent["exit_code"]!.GetValue<int>()), Is.EqualTo(("spawn", "exited", 0)));
        Assert.That(spawnError, Does.Contain($"spawned {agent["name"]!.GetValue<string>()}"));
        Assert.That(JsonNode.Parse(paused)!["mode"]!.GetValue<string>(), Is.EqualTo("paused"));
        JsonNode state = JsonNode.Parse(snapshot)!;
        Assert.That((state["mode"]!.GetValue<string>(), state["spawn_policy"]!.GetValue<string>(), state["task_source"]!.GetValue<string>()), Is.EqualTo(("paused", "manual", "builtin")));
        Assert.That(state["agents"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()), Does.Contain(agent["name"]!.GetValue<string>()));
        JsonNode runtime = JsonNode.Parse(config)!["values"]!.AsArray().Single(v => v!["key"]!.GetValue<string>() == "runtime")!;
        Assert.That((runtime["value"]!.GetValue<string>(), runtime["source"]!.GetValue<string>()), Is.EqualTo(("command", "file")));
        Assert.That(stopCode, Is.Not.Zero);
        Assert.That(stopError, Does.Contain("no running agent is named 'no_such_agent'"));
        Assert.That(rpcCode, Is.Zero, rpcError);
        Assert.That(JsonNode.Parse(queue)!.AsArray(), Is.Empty, "a paused pool with a manual policy queues nothing");
        Assert.That(JsonNode.Parse(shutdown)!["stopping"]!.GetValue<bool>(), Is.True);
        Assert.That(engine.Process.ExitCode, Is.Zero, engine.Error);
    }

    [Test]
    public async Task The_socket_answers_errors_keeps_the_connection_and_pushes_notifications()
    {
        using var home = new TestHome("aot-rpc");
        await CommandProject.InitAsync(home, "exit 0");
        using TestProcess engine = await StartHeadlessAsync(home, "aot-rpc");
        using RawConnection connection = await RawConnection.OpenAsync(home.SocketPath("aot-rpc"));

        JsonNode unknown = await connection.CallAsync(1, "no.such.method", "{}");
        JsonNode notFound = await connection.CallAsync(2, "events.read", """{"agent":"nobody"}""");
        JsonNode subscribed = await connection.CallAsync(3, "events.subscribe", """{"topics":["status"]}""");
        JsonNode paused = await connection.CallAsync(4, "pool.pause", "{}");
        JsonNode pushed = await connection.NextAsync(line => line["method"]?.GetValue<string>() == "status.changed" && line["params"]!["snapshot"]!["mode"]!.GetValue<string>() == "paused");

        Assert.That(unknown["error"]!["code"]!.GetValue<int>(), Is.EqualTo(-32601));
        Assert.That(notFound["error"]!["code"]!.GetValue<int>(), Is.EqualTo(-32011), "the engine's own error, after the params' defaults (limit 500) passed validation");
        Assert.That(subscribed["result"]!["topics"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "status" }));
        Assert.That(paused["result"]!["mode"]!.GetValue<string>(), Is.EqualTo("paused"));
        Assert.That(pushed["params"]!["snapshot"]!["project"]!.GetValue<string>(), Is.EqualTo("aot-rpc"));
    }

    [Test]
    public async Task Status_watch_follows_the_engine_through_its_pushed_changes()
    {
        using var home = new TestHome("aot-watch");
        await CommandProject.InitAsync(home, "exit 0");
        using TestProcess engine = await StartHeadlessAsync(home, "aot-watch");
        using TestProcess watch = aot.Start(home.ProjectDirectory, home.Variables, "status", "-w", "--json");
        await Wait.UntilAsync(() => watch.Output.Contains("\"mode\":\"active\"", StringComparison.Ordinal) || watch.Process.HasExited, "the first snapshot");

        (int drainCode, _, string drainError) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "drain");
        await Wait.UntilAsync(() => watch.Output.Contains("\"mode\":\"draining\"", StringComparison.Ordinal) || watch.Process.HasExited, "the pushed snapshot after drain");

        Assert.That(drainCode, Is.Zero, drainError);
        Assert.That(watch.Process.HasExited, Is.False, watch.Error);
    }

    [TestCase(false, TestName = "The dashboard draws its first frame with its own engine")]
    [TestCase(true, TestName = "The dashboard draws its first frame attached to a running engine")]
    public async Task The_dashboard_draws_its_first_frame(bool attach)
    {
        string project = attach ? "aot-attach" : "aot-own";
        using var home = new TestHome(project);
        await CommandProject.InitAsync(home, "exec sleep 600");
        using TestProcess? engine = attach ? await StartHeadlessAsync(home, project) : null;
        string expected = "No agents running";
        if (engine is not null)
        {
            (int code, string spawned, string error) = await aot.RunAsync(home.ProjectDirectory, home.Variables, "spawn", "-d", "--json", "Keep busy");
            Assert.That(code, Is.Zero, error);
            expected = JsonNode.Parse(spawned)!["name"]!.GetValue<string>();
        }

        string frameFile = Path.Combine(home.Root, "first-frame.txt");
        var environment = new Dictionary<string, string>(home.Variables) { ["AETHERFLOW_FIRST_FRAME_FILE"] = frameFile };
        using TmuxSession terminal = TmuxSession.Start($"{aot.Executable} --no-confirm; echo \"AF-EXIT:$?\"; sleep 60", home.ProjectDirectory, environment, 160, 40);

        string screen = await terminal.WaitForAsync(expected);
        await Wait.UntilAsync(() => File.Exists(frameFile) && File.ReadAllText(frameFile).EndsWith('\n'), "the first-frame file");
        terminal.SendKeys("q");
        string after = await terminal.WaitForAsync("AF-EXIT:");

        Assert.That(screen, Does.Contain(project).And.Contain(attach ? "attached" : "local engine"));
        Assert.That(after, Does.Contain("AF-EXIT:0"));
        if (engine is not null)
        {
            await aot.RunAsync(home.ProjectDirectory, home.Variables, "shutdown", "--force");
        }
    }

    [Test]
    public async Task An_opencode_agent_runs_with_the_event_plugin_that_install_put_in_place()
    {
        await using ScriptedModelServer model = await ScriptedModelServer.StartAsync(new() { MaxLifetime = TimeSpan.FromMinutes(10) });
        using var home = new TestHome("aot-opencode");
        Dictionary<string, string> variables = OfflineProject.Prepare(home, model, "aot-opencode");
        (int installCode, string installed, string installError) = await aot.RunAsync(home.ProjectDirectory, variables, "install", "--json");
        using TestProcess engine = await StartHeadlessAsync(home, "aot-opencode", variables);

        (int spawnCode, string followed, string spawnError) = await aot.RunAsync(home.ProjectDirectory, variables, "spawn", "SCENARIO:bash please");
        string name = spawnError.Split(' ')[2];
        (int logsCode, string logs, string logsError) = await aot.RunAsync(home.ProjectDirectory, variables, "logs", name, "--json");
        (int sessionsCode, string sessions, string sessionsError) = await aot.RunAsync(home.ProjectDirectory, variables, "sessions", "--json");
        await aot.RunAsync(home.ProjectDirectory, variables, "shutdown", "--force");
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(installCode, Is.Zero, installError);
        JsonNode report = JsonNode.Parse(installed)!;
        Assert.That((report["executed"]!.GetValue<bool>(), report["summary"]!["errors"]!.GetValue<int>()), Is.EqualTo((true, 0)));
        Assert.That(report["actions"]!.AsArray().Select(a => a!["path"]!.GetValue<string>()), Has.Some.EndsWith("aetherflow-events.ts"), "the plugin, an embedded asset");
        Assert.That(spawnCode, Is.Zero, spawnError);
        Assert.That(spawnError, Does.Contain($"{name} finished"));
        Assert.That(followed, Does.Contain("echo hello > out.txt"), "the bash tool call, followed live");
        Assert.That(logsCode, Is.Zero, logsError);
        Assert.That(logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["type"]!.GetValue<string>()), Does.Contain("message.part.updated"));
        Assert.That(sessionsCode, Is.Zero, sessionsError);
        Assert.That(JsonNode.Parse(sessions)!.AsArray().Select(s => s!["agent"]?.GetValue<string>()), Does.Contain(name), "the session registry lists the agent's session");
        Assert.That(engine.Error, Does.Contain("The aetherflow-events plugin in opencode pid"), "the plugin pushed the session's events over the socket");
        Assert.That(engine.Error, Does.Not.Contain("Ignored an invalid session.event"));
    }

    private async Task<TestProcess> StartHeadlessAsync(TestHome home, string project, IReadOnlyDictionary<string, string>? variables = null)
    {
        TestProcess engine = aot.Start(home.ProjectDirectory, variables ?? home.Variables, "--headless");
        await Wait.UntilAsync(() => File.Exists(home.SocketPath(project)) || engine.Process.HasExited, "the engine socket", TimeSpan.FromSeconds(60));
        Assert.That(engine.Process.HasExited, Is.False, engine.Error);
        return engine;
    }

    /// <summary>One connection to the socket, as a script has it: lines out, lines in, notifications among the replies.</summary>
    private sealed class RawConnection : IDisposable
    {
        private readonly Socket socket;
        private readonly NetworkStream stream;
        private readonly StreamReader reader;
        private readonly List<JsonNode> unread = [];

        private RawConnection(Socket socket)
        {
            this.socket = socket;
            stream = new NetworkStream(socket);
            reader = new StreamReader(stream);
        }

        public static async Task<RawConnection> OpenAsync(string socketPath)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            return new RawConnection(socket);
        }

        public async Task<JsonNode> CallAsync(int id, string method, string parameters)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""" + "\n"));
            return await NextAsync(line => line["id"]?.GetValue<int>() == id);
        }

        /// <summary>The first line, read before or now, that <paramref name="wanted"/> matches; the others stay unread.</summary>
        public async Task<JsonNode> NextAsync(Func<JsonNode, bool> wanted)
        {
            if (unread.FirstOrDefault(wanted) is { } earlier)
            {
                unread.Remove(earlier);
                return earlier;
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                string? line = await reader.ReadLineAsync(limit.Token);
                Assert.That(line, Is.Not.Null, "the engine closed the connection");
                JsonNode node = JsonNode.Parse(line!)!;
                if (wanted(node))
                {
                    return node;
                }

                unread.Add(node);
            }
        }

        public void Dispose()
        {
            reader.Dispose();
            stream.Dispose();
            socket.Dispose();
        }
    }
}
