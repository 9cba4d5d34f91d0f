using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>The JSON-RPC socket, exercised over a real Unix socket with raw JSON lines.</summary>
[NonParallelizable]
public sealed class EngineSocketTests
{
    private TestHome home = null!;

    [SetUp]
    public void SetUp() => home = new TestHome();

    [TearDown]
    public void TearDown() => home.Dispose();

    [Test]
    public async Task Hello_identifies_the_engine()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home, "hello-proj");
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync("engine.hello", new { protocol_version = 1, client = "test" });

        JsonNode result = reply["result"]!;
        Assert.Multiple(() =>
        {
            Assert.That(reply["id"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(result["protocol_version"]!.GetValue<int>(), Is.EqualTo(BuildInfo.ProtocolVersion));
            Assert.That(result["project"]!.GetValue<string>(), Is.EqualTo("hello-proj"));
            Assert.That(result["pid"]!.GetValue<int>(), Is.EqualTo(Environment.ProcessId));
            Assert.That(result["build_version"]!.GetValue<string>(), Is.EqualTo(BuildInfo.Version));
            Assert.That(result["headless"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task Hello_without_params_works_and_an_old_protocol_is_refused()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject plain = await client.SendRawAsync("""{"jsonrpc":"2.0","id":7,"method":"engine.hello"}""");
        JsonObject old = await client.CallAsync("engine.hello", new { protocol_version = 0 });

        Assert.That(plain["result"]!["project"]!.GetValue<string>(), Is.EqualTo("demo"));
        Assert.That(old["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.ProtocolMismatch));
        Assert.That(old["error"]!["message"]!.GetValue<string>(), Does.Contain("upgrade the client"));
    }

    [Test]
    public async Task Status_returns_the_snapshot_in_snake_case()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home, flags: new() { ["pool_size"] = "4", ["spawn_policy"] = "auto" });
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonNode status = (await client.CallAsync("status.get"))["result"]!;

        Assert.Multiple(() =>
        {
            Assert.That(status["pool_size"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(status["mode"]!.GetValue<string>(), Is.EqualTo("active"));
            Assert.That(status["spawn_policy"]!.GetValue<string>(), Is.EqualTo("auto"));
            Assert.That(status["agents"]!.AsArray(), Is.Empty);
            Assert.That(status["queue"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task Pool_mode_changes_are_visible_in_status()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject paused = await client.CallAsync("pool.pause");
        JsonNode status = (await client.CallAsync("status.get"))["result"]!;

        Assert.That(paused["result"]!["mode"]!.GetValue<string>(), Is.EqualTo("paused"));
        Assert.That(status["mode"]!.GetValue<string>(), Is.EqualTo("paused"));
        Assert.That(status["decisions"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("pool active → paused"));
    }

    [TestCase("bogus.method")]
    [TestCase("Dispose", Description = "the target's own clean-up, which a client must not trigger")]
    public async Task Unknown_method_is_a_json_rpc_error_and_the_connection_survives(string method)
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.CallAsync(method);
        JsonObject after = await client.CallAsync("status.get");

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.MethodNotFound));
        Assert.That(reply["error"]!["message"]!.GetValue<string>(), Does.Contain(method));
        Assert.That(after["result"], Is.Not.Null);
    }

    [TestCase("{not json", RpcErrorCodes.ParseError)]
    [TestCase("[1, 2, 3]", RpcErrorCodes.InvalidRequest)]
    [TestCase("\"just a string\"", RpcErrorCodes.InvalidRequest)]
    [TestCase("{\"foo\": 1}", RpcErrorCodes.InvalidRequest)]
    [TestCase("{} {}", RpcErrorCodes.ParseError)]
    public async Task Malformed_frames_get_an_error_reply_and_the_connection_survives(string frame, int code)
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.SendRawAsync(frame);
        JsonObject after = await client.CallAsync("engine.hello");

        Assert.Multiple(() =>
        {
            Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(code));
            Assert.That(reply["id"], Is.Null);
            Assert.That(after["result"]!["project"]!.GetValue<string>(), Is.EqualTo("demo"));
        });
    }

    [Test]
    public async Task Errors_carry_one_line_and_no_stack_trace()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        JsonObject reply = await client.SendRawAsync("""{"jsonrpc":"2.0","id":1,"method":"engine.hello","params":{"protocol_version":"x"}}""");

        JsonNode error = reply["error"]!;
        Assert.Multiple(() =>
        {
            Assert.That(error["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.InvalidParams));
            Assert.That(error["message"]!.GetValue<string>(), Is.EqualTo("invalid params for engine.hello: protocol_version has the wrong type"));
            Assert.That(error["data"], Is.Null);
            Assert.That(reply.ToJsonString(), Does.Not.Contain(" at "));
        });
    }

    [Test]
    public async Task A_frame_over_the_limit_is_refused_and_the_connection_closed()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        await client.WriteRawAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"engine.hello\",\"params\":{\"client\":\"" + new string('x', EngineRpcServer.DefaultMaxFrameBytes + 10) + "\"}}\n");
        JsonObject reply = await client.ReadAsync();
        string? end = await client.ReadLineOrEndAsync();

        Assert.That(reply["error"]!["code"]!.GetValue<int>(), Is.EqualTo(RpcErrorCodes.FrameTooLarge));
        Assert.That(end, Is.Null, "the connection is closed after an oversized frame");
        using RawRpcClient fresh = await RawRpcClient.ConnectAsync(engine.SocketPath);
        Assert.That((await fresh.CallAsync("engine.hello"))["result"], Is.Not.Null, "the engine keeps serving others");
    }

    [Test]
    public async Task A_second_engine_on_the_same_project_is_refused_with_the_running_pid()
    {
        await using RunningEngine first = await RunningEngine.StartAsync(home);

        var error = await Assert.ThrowsAsync<EngineAlreadyRunningException>(() => RunningEngine.StartAsync(home));

        Assert.That(error!.Pid, Is.EqualTo(Environment.ProcessId));
        Assert.That(error.Message, Does.Contain($"already running for project 'demo' (pid {Environment.ProcessId})"));
        using RawRpcClient client = await RawRpcClient.ConnectAsync(first.SocketPath);
        Assert.That((await client.CallAsync("engine.hello"))["result"], Is.Not.Null, "the first engine is untouched");
    }

    [Test]
    public async Task Engines_of_different_projects_run_side_by_side()
    {
        await using RunningEngine one = await RunningEngine.StartAsync(home, "one");
        await using RunningEngine two = await RunningEngine.StartAsync(home, "two");
        using RawRpcClient client = await RawRpcClient.ConnectAsync(two.SocketPath);

        Assert.That(one.SocketPath, Is.Not.EqualTo(two.SocketPath));
        Assert.That((await client.CallAsync("engine.hello"))["result"]!["project"]!.GetValue<string>(), Is.EqualTo("two"));
    }

    [Test]
    public async Task A_stale_socket_left_by_a_crash_is_replaced()
    {
        var endpoint = EngineEndpoint.For(home.Paths, "demo");
        Directory.CreateDirectory(endpoint.Directory);
        // A process that binds and dies never unlinks its socket (.NET would, on dispose, so use python).
        using (Process crashed = Process.Start("python3", ["-c", "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)", endpoint.SocketPath]))
        {
            await Eventually.WithinAsync(crashed.WaitForExitAsync().ContinueWith(_ => 0, TaskScheduler.Default), "the crashing process to exit");
        }

        Assert.That(File.Exists(endpoint.SocketPath), Is.True, "the crashed engine's socket file is still there");
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        Assert.That((await client.CallAsync("engine.hello"))["result"], Is.Not.Null);
    }

    [Test]
    public async Task A_regular_file_at_the_socket_path_is_never_deleted()
    {
        var endpoint = EngineEndpoint.For(home.Paths, "demo");
        Directory.CreateDirectory(endpoint.Directory);
        File.WriteAllText(endpoint.SocketPath, "precious");

        var error = await Assert.ThrowsAsync<IOException>(() => RunningEngine.StartAsync(home));

        Assert.That(error!.Message, Does.Contain("exists and is not a socket"));
        Assert.That(File.ReadAllText(endpoint.SocketPath), Is.EqualTo("precious"));
    }

    [Test]
    public async Task Folder_is_0700_and_socket_lock_and_pid_files_are_0600()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home);
        var endpoint = engine.Host.Endpoint;

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(endpoint.Directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(endpoint.SocketPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(endpoint.LockPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(endpoint.PidPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(endpoint.Directory, Does.StartWith(home.Variables["XDG_RUNTIME_DIR"]));
        });
    }

    [Test]
    public async Task A_too_open_runtime_folder_is_tightened_to_0700()
    {
        string runtime = Path.Combine(home.Variables["XDG_RUNTIME_DIR"], "aetherflow");
        Directory.CreateDirectory(runtime);
        File.SetUnixFileMode(runtime, (UnixFileMode)0b111_111_111);

        await using RunningEngine engine = await RunningEngine.StartAsync(home);

        Assert.That(File.GetUnixFileMode(runtime), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task Without_XDG_RUNTIME_DIR_the_socket_goes_to_a_private_state_folder_not_tmp()
    {
        home.Variables.Remove("XDG_RUNTIME_DIR");
        await using RunningEngine engine = await RunningEngine.StartAsync(home);

        Assert.That(engine.SocketPath, Is.EqualTo(Path.Combine(home.Variables["XDG_STATE_HOME"], "aetherflow", "run", "demo.sock")));
        Assert.That(engine.SocketPath, Does.Not.StartWith("/tmp/aetherd"));
    }

    [Test]
    public async Task Stopping_removes_the_socket_and_pid_file_and_frees_the_project()
    {
        RunningEngine engine = await RunningEngine.StartAsync(home);
        var endpoint = engine.Host.Endpoint;
        await engine.DisposeAsync();

        Assert.That(File.Exists(endpoint.SocketPath), Is.False);
        Assert.That(File.Exists(endpoint.PidPath), Is.False);
        await using RunningEngine again = await RunningEngine.StartAsync(home);
        Assert.That(File.Exists(again.SocketPath), Is.True);
    }

    [Test]
    public async Task A_python3_script_can_say_hello()
    {
        await using RunningEngine engine = await RunningEngine.StartAsync(home, "py-proj");
        const string Script = """
            import json, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            f = s.makefile("rw")
            f.write(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "engine.hello", "params": {"client": "python"}}) + "\n")
            f.flush()
            reply = json.loads(f.readline())
            print(reply["result"]["project"], reply["result"]["protocol_version"])
            """;

        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(engine.SocketPath);
        using Process python = Process.Start(start)!;
        python.StandardInput.Close();
        Task<string> output = python.StandardOutput.ReadToEndAsync();
        Task<string> errors = python.StandardError.ReadToEndAsync();
        await Eventually.WithinAsync(python.WaitForExitAsync().ContinueWith(_ => 0, TaskScheduler.Default), "python3 to finish");

        Assert.That(python.ExitCode, Is.Zero, await errors);
        Assert.That((await output).Trim(), Is.EqualTo($"py-proj {BuildInfo.ProtocolVersion}"));
    }
}
