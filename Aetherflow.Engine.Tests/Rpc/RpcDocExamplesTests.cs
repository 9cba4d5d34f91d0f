using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;
using Aetherflow.Engine.Tests.Pool.Fakes;
using Aetherflow.Engine.Tests.Support;
using StreamJsonRpc;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>
/// docs/rpc.md cannot rot: every method and notification is documented with an example, every example request is
/// accepted by a real engine, and the python3 and socat scripts run, exactly as written there, against a real engine.
/// </summary>
[NonParallelizable]
public sealed partial class RpcDocExamplesTests
{
    private static readonly Lazy<string> Doc = new(() => File.ReadAllText(FindDoc()));
    private TestHome home = null!;

    [SetUp]
    public void SetUp() => home = new TestHome();

    [TearDown]
    public void TearDown() => home.Dispose();

    public static IEnumerable<string> Methods() =>
        typeof(EngineRpcTarget).GetMethods().Select(m => m.GetCustomAttribute<JsonRpcMethodAttribute>()?.Name).OfType<string>().Order(StringComparer.Ordinal);

    public static IEnumerable<string> Notifications() =>
        typeof(RpcNotifications).GetFields().Select(f => (string)f.GetRawConstantValue()!);

    [TestCaseSource(nameof(Methods))]
    public void Every_method_has_a_section_with_a_request_and_a_response(string method)
    {
        string section = Section(method);

        Assert.That(Examples(section, "→"), Has.Some.Contains($"\"method\":\"{method}\""), $"a request example for {method}");
        if (!Examples(section, "→").All(IsNotification))
        {
            Assert.That(Examples(section, "←"), Has.Some.Contains("\"result\""), $"a response example for {method}");
        }
    }

    [TestCaseSource(nameof(Notifications))]
    public void Every_notification_has_a_section_with_an_example(string notification)
    {
        Assert.That(Examples(Section(notification), "←"), Has.Some.Contains($"\"method\":\"{notification}\""));
    }

    [Test]
    public void Every_error_code_is_in_the_table()
    {
        foreach (FieldInfo code in typeof(RpcErrorCodes).GetFields())
        {
            Assert.That(Doc.Value, Does.Contain($"| {code.GetRawConstantValue()} |"), code.Name);
        }
    }

    [Test]
    public void Every_example_line_is_one_json_rpc_message()
    {
        foreach (string line in Examples(Doc.Value, "→").Concat(Examples(Doc.Value, "←")))
        {
            JsonObject message = JsonNode.Parse(line)!.AsObject();
            Assert.That(message["jsonrpc"]!.GetValue<string>(), Is.EqualTo("2.0"), line);
        }
    }

    [Test]
    public async Task Every_example_request_is_understood_by_a_real_engine()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home, project: "myapp");
        using RawRpcClient client = await RawRpcClient.ConnectAsync(engine.SocketPath);

        foreach (string request in Examples(Doc.Value, "→"))
        {
            if (IsNotification(request))
            {
                // No reply by design; the next request's reply shows the engine took it without failing the connection.
                await client.WriteRawAsync(request + "\n");
                continue;
            }

            JsonObject reply = await client.SendRawAsync(request);
            while (reply["id"] is null && reply["method"] is not null)
            {
                reply = await client.ReadAsync();
            }

            // Names in the examples need not exist here; the request itself must be well-formed and complete.
            int? code = reply["error"]?["code"]?.GetValue<int>();
            Assert.That(code, Is.Null.Or.AnyOf(RpcErrorCodes.NotFound, RpcErrorCodes.Conflict, RpcErrorCodes.Unsupported), $"{request}\n{reply.ToJsonString()}");
        }
    }

    [Test]
    public async Task The_python3_example_spawns_agents_follows_their_events_and_drains_the_pool()
    {
        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home, project: "myapp");
        using var stop = new CancellationTokenSource();

        // The agents: each says two things and finishes, like an opencode agent would.
        Task agents = Task.Run(async () =>
        {
            int done = 0;
            while (!stop.IsCancellationRequested)
            {
                foreach (FakeAgent agent in engine.Runtime.Launched.Skip(done))
                {
                    await Eventually.TrueAsync(() => engine.Engine.Host.Engine.Snapshot.Agents.Any(a => a.SessionId == agent.SessionId && a.Activity == AgentActivity.Busy), "the agent to run");
                    engine.Text(agent.SessionId, $"working on {agent.Launch.Prompt.Split(": ")[^1]}");
                    engine.Bash(agent.SessionId, "make test");
                    agent.Exit(0);
                    done++;
                }

                await Task.Delay(20);
            }
        });

        (int code, string output, string errors) = await RunAsync("python3", ["-", "myapp", "Fix the flaky test", "Update the changelog"], Block("python-swarm"));
        await stop.CancelAsync();
        await agents;

        string[] names = engine.Runtime.Launched.Select(a => a.Launch.AgentName).ToArray();
        Assert.That(code, Is.Zero, errors);
        Assert.That(names, Has.Length.EqualTo(2));
        string[] lines = output.TrimEnd('\n').Split('\n');
        foreach (string name in names)
        {
            string topic = engine.Runtime.Launched.Single(a => a.Launch.AgentName == name).Launch.Prompt.Split(": ")[^1];
            Assert.That(lines, Does.Contain($"{name} working on {topic}"));
            Assert.That(lines, Does.Contain($"{name} bash ✓make test (1.2s)"));
            Assert.That(lines, Does.Contain($"{name} exited with 0"));
        }

        Assert.That(lines[^1], Is.EqualTo("pool draining"));
        Assert.That(engine.Engine.Host.Engine.Snapshot.Mode, Is.EqualTo(PoolMode.Draining));
    }

    [Test]
    public async Task The_socat_example_reads_the_status_and_pauses_the_pool()
    {
        if (!File.Exists("/usr/bin/socat") && !File.Exists("/usr/local/bin/socat"))
        {
            Assert.Fail("socat is not installed; scripts/install-test-tools.sh installs it");
        }

        await using RpcEngineHarness engine = await RpcEngineHarness.StartAsync(home, project: "myapp");

        (int code, string output, string errors) = await RunAsync("bash", ["-euo", "pipefail", "-s"], Block("socat-status"));

        Assert.That(code, Is.Zero, errors);
        JsonObject[] replies = output.TrimEnd('\n').Split('\n').Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        Assert.That(replies.Select(r => r["id"]!.GetValue<int>()), Is.EquivalentTo(new[] { 1, 2, 3 }));
        Assert.That(replies.Single(r => r["id"]!.GetValue<int>() == 1)["result"]!["project"]!.GetValue<string>(), Is.EqualTo("myapp"));
        Assert.That(engine.Engine.Host.Engine.Snapshot.Mode, Is.EqualTo(PoolMode.Paused));
    }

    private async Task<(int Code, string Output, string Errors)> RunAsync(string program, string[] arguments, string input)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        start.Environment.Clear();
        foreach ((string key, string value) in home.Variables)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await Eventually.WithinAsync(process.WaitForExitAsync().ContinueWith(_ => 0, TaskScheduler.Default), $"{program} to finish", TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output, await errors);
    }

    // The fenced block right after `<!-- tested: name -->`.
    private static string Block(string name)
    {
        Match match = Regex.Match(Doc.Value, $"<!-- tested: {Regex.Escape(name)} -->\\n```\\w+\\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"docs/rpc.md has no block marked 'tested: {name}'");
        return match.Groups["code"].Value;
    }

    private static string Section(string name)
    {
        Match match = Regex.Match(Doc.Value, $"\\n### [^\\n]*`{Regex.Escape(name)}`[^\\n]*\\n(?<body>.*?)(?=\\n##)", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"docs/rpc.md has no section for `{name}`");
        return match.Groups["body"].Value;
    }

    private static bool IsNotification(string request) => JsonNode.Parse(request)!.AsObject()["id"] is null;

    private static IEnumerable<string> Examples(string text, string arrow) =>
        ExampleLine().Matches(text).Where(m => m.Groups["arrow"].Value == arrow).Select(m => m.Groups["json"].Value);

    private static string FindDoc()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "docs", "rpc.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/rpc.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("^(?<arrow>[→←]) (?<json>\\{.*\\})$", RegexOptions.Multiline)]
    private static partial Regex ExampleLine();
}
