using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Aetherflow.Engine.ScriptedModel;
using static Aetherflow.Engine.Tests.ScriptedModel.ScriptedModelClient;

namespace Aetherflow.Engine.Tests.ScriptedModel;

public sealed class ScriptedModelServerTests
{
    private ScriptedModelServer server = null!;
    private ScriptedModelClient client = null!;

    [SetUp]
    public async Task StartServer()
    {
        server = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { MaxLifetime = TimeSpan.FromMinutes(5) });
        client = new ScriptedModelClient(server);
    }

    [TearDown]
    public async Task StopServer()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task It_listens_only_on_the_loopback_address()
    {
        Assert.That(server.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(server.ApiBaseUrl.ToString(), Is.EqualTo($"http://127.0.0.1:{server.Port}/v1"));
        string? otherAddress = (await Dns.GetHostAddressesAsync(Dns.GetHostName()))
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString();
        if (otherAddress is null)
        {
            Assert.Pass("this machine has no non-loopback IPv4 address to try");
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Parse(otherAddress), server.Port));
    }

    [Test]
    public async Task A_text_answer_streams_chunks_then_usage_then_done()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("system", "be brief"), ("user", "SCENARIO:text hi")));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answer.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(answer.Chunked, Is.True, "server-sent events use chunked transfer");
        Assert.That(answer.Data[^1], Is.EqualTo("[DONE]"));
        Assert.That(answer.Chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>(), Is.EqualTo("assistant"));
        Assert.That(answer.Chunks.Count(c => c["choices"]!.AsArray().Any(ch => ch!["delta"]?["content"]?.GetValue<string>() is { Length: > 0 })), Is.GreaterThan(1),
            "the text arrives in several deltas");
        Assert.That(answer.Text, Does.StartWith("Hello from the scripted model."));
        Assert.That(answer.FinishReason, Is.EqualTo("stop"));
        JsonObject usageChunk = answer.Chunks[^1];
        Assert.That(usageChunk["choices"]!.AsArray(), Is.Empty);
        Assert.That(usageChunk["usage"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(100));
        Assert.That(usageChunk["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(20));
        Assert.That(usageChunk["usage"]!["total_tokens"]!.GetValue<int>(), Is.EqualTo(120));
        Assert.That(answer.Chunks.Select(c => c["object"]!.GetValue<string>()), Is.All.EqualTo("chat.completion.chunk"));
    }

    [Test]
    public async Task Without_a_scenario_token_the_answer_is_text()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "just say something")));

        Assert.That(answer.Text, Does.StartWith("Hello from the scripted model."));
        Assert.That(answer.ToolCalls, Is.Empty);
    }

    [Test]
    public async Task A_non_streaming_request_gets_one_json_completion_with_usage()
    {
        (int status, JsonObject body) = await client.CompleteAsync(Conversation(("user", "SCENARIO:text")));

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body["object"]!.GetValue<string>(), Is.EqualTo("chat.completion"));
        Assert.That(body["choices"]![0]!["message"]!["content"]!.GetValue<string>(), Does.StartWith("Hello from the scripted model."));
        Assert.That(body["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("stop"));
        Assert.That(body["usage"]!["total_tokens"]!.GetValue<int>(), Is.EqualTo(120));
    }

    [Test]
    public async Task The_bash_scenario_calls_bash_then_answers_once_the_tool_result_is_back()
    {
        StreamedAnswer first = await client.StreamAsync(Conversation(("user", "SCENARIO:bash go")));
        StreamedAnswer second = await client.StreamAsync(Conversation(("user", "SCENARIO:bash go"), ("assistant", ""), ("tool", "(no output)")));

        Assert.That(first.FinishReason, Is.EqualTo("tool_calls"));
        Assert.That(first.ToolCalls, Has.Count.EqualTo(1));
        Assert.That(first.ToolCalls[0].Name, Is.EqualTo("bash"));
        Assert.That(first.ToolCalls[0].Id, Does.StartWith("call_"));
        Assert.That(first.ToolCalls[0].Arguments["command"]!.GetValue<string>(), Is.EqualTo("echo hello > out.txt"));
        Assert.That(first.Chunks[^1]["usage"], Is.Not.Null);
        Assert.That(second.FinishReason, Is.EqualTo("stop"));
        Assert.That(second.Text, Is.EqualTo("Done: ran `echo hello > out.txt`."));
    }

    [Test]
    public async Task A_cmd_line_in_the_prompt_replaces_the_bash_command()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "SCENARIO:bash\nCMD: ls -la /tmp\nthanks")));

        Assert.That(answer.ToolCalls[0].Arguments["command"]!.GetValue<string>(), Is.EqualTo("ls -la /tmp"));
    }

    [TestCase("write-file", "write", "scripted.txt")]
    [TestCase("write-file:notes/a.md", "write", "notes/a.md")]
    [TestCase("read-file", "read", "scripted.txt")]
    [TestCase("read-file:/etc/hostname", "read", "/etc/hostname")]
    [TestCase("tool-error", "read", "does-not-exist.txt")]
    public async Task File_scenarios_call_the_file_tools_with_the_given_path(string scenario, string tool, string path)
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", $"SCENARIO:{scenario}")));

        Assert.That(answer.ToolCalls, Has.Count.EqualTo(1));
        Assert.That(answer.ToolCalls[0].Name, Is.EqualTo(tool));
        Assert.That(answer.ToolCalls[0].Arguments["filePath"]!.GetValue<string>(), Is.EqualTo(path));
        if (tool == "write")
        {
            Assert.That(answer.ToolCalls[0].Arguments["content"]!.GetValue<string>(), Is.Not.Empty);
        }
    }

    [Test]
    public async Task The_multi_scenario_walks_bash_write_read_then_text()
    {
        var history = Conversation(("user", "SCENARIO:multi"));
        var seen = new List<string>();
        for (int step = 0; step < 4; step++)
        {
            StreamedAnswer answer = await client.StreamAsync(history);
            seen.Add(answer.ToolCalls.Count > 0 ? answer.ToolCalls[0].Name : "text:" + answer.FinishReason);
            history.Add(new JsonObject { ["role"] = "assistant", ["content"] = answer.Text });
            history.Add(new JsonObject { ["role"] = "tool", ["content"] = "ok" });
        }

        Assert.That(seen, Is.EqualTo(new[] { "bash", "write", "read", "text:stop" }));
    }

    [Test]
    public async Task The_parallel_scenario_sends_two_tool_calls_in_one_message()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "SCENARIO:parallel")));

        Assert.That(answer.ToolCalls.Select(c => c.Name), Is.EqualTo(new[] { "bash", "bash" }));
        Assert.That(answer.ToolCalls[0].Id, Is.Not.EqualTo(answer.ToolCalls[1].Id));
        Assert.That(answer.ToolCalls.Select(c => c.Arguments["command"]!.GetValue<string>()), Is.EqualTo(new[] { "echo one > one.txt", "echo two > two.txt" }));
        Assert.That(answer.FinishReason, Is.EqualTo("tool_calls"));
    }

    [Test]
    public async Task Non_streaming_tool_calls_carry_their_arguments_as_a_json_string()
    {
        (int status, JsonObject body) = await client.CompleteAsync(Conversation(("user", "SCENARIO:parallel")));

        Assert.That(status, Is.EqualTo(200));
        JsonArray calls = body["choices"]![0]!["message"]!["tool_calls"]!.AsArray();
        Assert.That(calls, Has.Count.EqualTo(2));
        Assert.That(calls[0]!["type"]!.GetValue<string>(), Is.EqualTo("function"));
        string arguments = calls[1]!["function"]!["arguments"]!.GetValue<string>();
        Assert.That(JsonNode.Parse(arguments)!["command"]!.GetValue<string>(), Is.EqualTo("echo two > two.txt"));
        Assert.That(body["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("tool_calls"));
    }

    [Test]
    public async Task The_bad_tool_scenario_calls_a_tool_that_does_not_exist()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "SCENARIO:bad-tool")));

        Assert.That(answer.ToolCalls[0].Name, Is.EqualTo("no_such_tool"));
    }

    [Test]
    public async Task The_slow_tool_scenario_runs_sleep_for_the_given_seconds()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "SCENARIO:slow-tool:3")));

        Assert.That(answer.ToolCalls[0].Arguments["command"]!.GetValue<string>(), Is.EqualTo("sleep 3"));
    }

    [TestCase("SCENARIO:fail:400", 400)]
    [TestCase("SCENARIO:fail:503", 503)]
    [TestCase("SCENARIO:fail", 500)]
    public async Task The_fail_scenario_answers_with_the_status_and_an_openai_error_body(string prompt, int expected)
    {
        (int status, JsonObject body) = await client.CompleteAsync(Conversation(("user", prompt)));
        using HttpResponseMessage streamed = await client.Http.SendAsync(Post(Body(Conversation(("user", prompt)), stream: true)));

        Assert.That(status, Is.EqualTo(expected));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Is.EqualTo("scripted failure"));
        Assert.That(body["error"]!["type"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That((int)streamed.StatusCode, Is.EqualTo(expected), "a streaming request fails the same way, before any event");
    }

    [Test]
    public async Task Fail_once_fails_the_first_call_of_a_session_and_answers_the_retry()
    {
        var history = Conversation(("user", "SCENARIO:fail-once:503"));

        (int first, JsonObject firstBody) = await client.CompleteAsync(history, sessionId: "ses_a");
        (int retry, JsonObject retryBody) = await client.CompleteAsync(history, sessionId: "ses_a");
        (int otherSession, _) = await client.CompleteAsync(history, sessionId: "ses_b");

        Assert.That(first, Is.EqualTo(503));
        Assert.That(firstBody["error"], Is.Not.Null);
        Assert.That(retry, Is.EqualTo(200));
        Assert.That(retryBody["choices"]![0]!["message"]!["content"]!.GetValue<string>(), Is.EqualTo("Answered after one failure."));
        Assert.That(otherSession, Is.EqualTo(503), "each session fails once");
    }

    [Test]
    public async Task Reset_makes_fail_once_fail_again_and_clears_the_request_log()
    {
        var history = Conversation(("user", "SCENARIO:fail-once"));
        (int first, _) = await client.CompleteAsync(history);
        (int retry, _) = await client.CompleteAsync(history);

        using HttpResponseMessage reset = await client.Http.PostAsync("_reset", null);
        string afterReset = await client.Http.GetStringAsync("_requests");
        (int again, _) = await client.CompleteAsync(history);

        Assert.That((first, retry, again), Is.EqualTo((500, 200, 500)));
        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(afterReset)!.AsArray(), Is.Empty);
        Assert.That(server.Requests.Single().Sequence, Is.EqualTo(1));
    }

    [Test]
    public async Task The_garbage_scenario_streams_an_event_that_is_not_json()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "SCENARIO:garbage")));
        using HttpResponseMessage plain = await client.Http.SendAsync(Post(Body(Conversation(("user", "SCENARIO:garbage")), stream: false)));
        string plainBody = await plain.Content.ReadAsStringAsync();

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(() => answer.Chunks, Throws.InstanceOf<System.Text.Json.JsonException>());
        Assert.That(answer.Data[^1], Is.EqualTo("[DONE]"));
        Assert.That(() => JsonNode.Parse(plainBody), Throws.InstanceOf<System.Text.Json.JsonException>());
    }

    [Test]
    public async Task The_title_side_request_gets_a_fake_title_and_uses_no_step()
    {
        var titleRequest = Conversation(
            ("system", "You are a title generator. You output ONLY a thread title."),
            ("user", "Generate a title for this conversation:\nSCENARIO:bash go"));

        StreamedAnswer title = await client.StreamAsync(titleRequest, sessionId: "ses_t");
        StreamedAnswer real = await client.StreamAsync(Conversation(("user", "SCENARIO:bash go")), sessionId: "ses_t");

        Assert.That(title.Text, Is.EqualTo("Fake session title"));
        Assert.That(title.ToolCalls, Is.Empty);
        Assert.That(real.ToolCalls.Single().Name, Is.EqualTo("bash"), "the scenario still starts at step 0");
        Assert.That(server.Requests.Select(r => r.Kind), Is.EqualTo(new[] { "title", "chat" }));
    }

    [Test]
    public async Task A_later_user_message_without_a_token_keeps_the_earlier_scenario()
    {
        var history = Conversation(
            ("user", "SCENARIO:multi"),
            ("assistant", ""), ("tool", "ok"),
            ("user", "please continue"));

        StreamedAnswer answer = await client.StreamAsync(history);

        Assert.That(answer.ToolCalls.Single().Name, Is.EqualTo("write"), "one assistant message after the selecting prompt means step 1 of multi");
    }

    [Test]
    public async Task The_latest_scenario_token_wins_and_steps_count_from_its_message()
    {
        var history = Conversation(
            ("user", "SCENARIO:multi"), ("assistant", ""), ("tool", "ok"), ("assistant", "done"),
            ("user", "SCENARIO:parallel now"));

        StreamedAnswer answer = await client.StreamAsync(history);

        Assert.That(answer.ToolCalls, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Message_content_given_as_parts_is_read_too()
    {
        var history = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "SCENARIO:read-file:x.txt" }),
        });

        StreamedAnswer answer = await client.StreamAsync(history);

        Assert.That(answer.ToolCalls.Single().Arguments["filePath"]!.GetValue<string>(), Is.EqualTo("x.txt"));
    }

    [Test]
    public async Task Steps_past_the_end_of_a_script_answer_with_text()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "SCENARIO:bash"), ("assistant", ""), ("tool", "x"), ("assistant", "Done"), ("assistant", "more")));

        Assert.That(answer.Text, Is.EqualTo("Scenario 'bash' is finished."));
    }

    [Test]
    public async Task An_unknown_scenario_answers_with_the_list_of_known_ones()
    {
        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "SCENARIO:nope")));

        Assert.That(answer.Text, Does.Contain("Unknown scenario 'nope'").And.Contain("write-file"));
    }

    [Test]
    public async Task The_path_without_v1_also_serves_chat_completions()
    {
        using HttpResponseMessage response = await client.Http.SendAsync(Post(Body(Conversation(("user", "hi")), stream: false), "chat/completions"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_body_that_is_not_a_chat_request_gets_400()
    {
        using HttpResponseMessage response = await client.Http.PostAsync("v1/chat/completions", new StringContent("{\"nope\":1}"));
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.Contain("messages"));
    }

    [Test]
    public async Task Models_health_and_unknown_routes_answer_as_documented()
    {
        JsonNode models = JsonNode.Parse(await client.Http.GetStringAsync("v1/models"))!;
        JsonNode health = JsonNode.Parse(await client.Http.GetStringAsync("_health"))!;
        using HttpResponseMessage missing = await client.Http.GetAsync("nope");

        Assert.That(models["data"]![0]!["id"]!.GetValue<string>(), Is.EqualTo(ScriptedModelServer.ModelId));
        Assert.That(health["ok"]!.GetValue<bool>(), Is.True);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_request_log_lists_session_headers_scenario_step_and_answer()
    {
        using HttpRequestMessage request = Post(Body(Conversation(("user", "SCENARIO:bash")), stream: true), sessionId: "ses_child");
        request.Headers.Add("x-parent-session-id", "ses_parent");
        using (HttpResponseMessage response = await client.Http.SendAsync(request))
        {
            await response.Content.ReadAsStringAsync();
        }

        JsonArray log = JsonNode.Parse(await client.Http.GetStringAsync("_requests"))!.AsArray();

        JsonNode entry = log.Single()!;
        Assert.That(entry["seq"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(entry["session_id"]!.GetValue<string>(), Is.EqualTo("ses_child"));
        Assert.That(entry["parent_session_id"]!.GetValue<string>(), Is.EqualTo("ses_parent"));
        Assert.That(entry["scenario"]!.GetValue<string>(), Is.EqualTo("bash"));
        Assert.That(entry["step"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(entry["answer"]!.GetValue<string>(), Is.EqualTo("tool_calls"));
        Assert.That(entry["tools"]![0]!.GetValue<string>(), Is.EqualTo("bash"));
        Assert.That(entry["stream"]!.GetValue<bool>(), Is.True);
        Assert.That(entry["status"]!.GetValue<int>(), Is.EqualTo(200));
    }

    [Test]
    public async Task A_stopped_server_refuses_connections_and_completes()
    {
        int port = server.Port;

        await server.StopAsync();

        Assert.That(server.Completion.IsCompleted, Is.True);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, port));
    }
}
