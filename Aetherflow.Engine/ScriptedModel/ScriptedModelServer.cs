using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>
/// A scripted stand-in for an LLM: an OpenAI-compatible chat-completions server on 127.0.0.1 that answers with canned
/// scenarios instead of a model. It exists for tests and for the demo mode, runs only when asked for, never listens
/// beyond loopback, and needs no network.
/// </summary>
/// <remarks>
/// <para>Routes: <c>POST /v1/chat/completions</c> (and <c>/chat/completions</c>) streaming server-sent events or plain
/// JSON; <c>GET /v1/models</c>; <c>GET /_health</c>; <c>GET /_requests</c> (recent request summaries); <c>POST /_reset</c>.</para>
/// <para>A request's scenario is the <c>SCENARIO:&lt;name&gt;[:&lt;arg&gt;]</c> token in the last user message that has one;
/// the step is the number of assistant messages after that message. Selection depends only on the conversation, so any
/// number of concurrent sessions can share one server. opencode's title side request ("You are a title generator…") is
/// answered with "Fake session title" and uses no step.</para>
/// </remarks>
public sealed class ScriptedModelServer : IAsyncDisposable
{
    /// <summary>The model id the server reports (any requested model name is accepted).</summary>
    public const string ModelId = "scripted-model";

    /// <summary>The provider id <see cref="CreateOpencodeConfig"/> registers.</summary>
    public const string ProviderId = "scripted";

    /// <summary>The answer to opencode's title side request.</summary>
    public const string TitleAnswer = "Fake session title";

    private readonly ScriptedModelOptions options;
    private readonly ILogger logger;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<long, (TcpClient Client, Task Task)> connections = new();
    private readonly ConcurrentDictionary<string, byte> failedOnce = new(StringComparer.Ordinal);
    private readonly Queue<ScriptedModelRequest> requestLog = new();
    private readonly Lock requestLogLock = new();
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? acceptLoop;
    private long nextConnectionId;
    private long nextSequence;
    private int stopRequested;

    private ScriptedModelServer(ScriptedModelOptions options)
    {
        this.options = options;
        logger = options.Logger;
        listener = new TcpListener(IPAddress.Loopback, options.Port);
    }

    /// <summary>The port the server listens on (on 127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The server root, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>The OpenAI-compatible API base a client is configured with, <c>http://127.0.0.1:&lt;port&gt;/v1</c>.</summary>
    public Uri ApiBaseUrl => new($"http://127.0.0.1:{Port}/v1");

    /// <summary>Completes once the server stopped (by <see cref="StopAsync"/>, dispose, or its maximum lifetime).</summary>
    public Task Completion => stopped.Task;

    /// <summary>The most recent requests, oldest first (see <see cref="ScriptedModelOptions.RequestLogCapacity"/>).</summary>
    public IReadOnlyList<ScriptedModelRequest> Requests
    {
        get
        {
            lock (requestLogLock)
            {
                return [.. requestLog];
            }
        }
    }

    /// <summary>Starts a server on a loopback port.</summary>
    public static Task<ScriptedModelServer> StartAsync(ScriptedModelOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var server = new ScriptedModelServer(options ?? new ScriptedModelOptions());
        server.Start();
        return Task.FromResult(server);
    }

    /// <summary>Forgets the request log and which fail-once failures already happened.</summary>
    public void Reset()
    {
        lock (requestLogLock)
        {
            requestLog.Clear();
            nextSequence = 0;
        }

        failedOnce.Clear();
    }

    /// <summary>
    /// An opencode config (the JSON of <c>opencode.json</c> or <c>OPENCODE_CONFIG_CONTENT</c>) whose only provider is
    /// this server, set as both the main and the small model, with auto-update and sharing off.
    /// </summary>
    public string CreateOpencodeConfig()
    {
        var config = new JsonObject
        {
            ["$schema"] = "https://opencode.ai/config.json",
            ["provider"] = new JsonObject
            {
                [ProviderId] = new JsonObject
                {
                    ["npm"] = "@ai-sdk/openai-compatible",
                    ["name"] = "Aetherflow scripted model (demo/test, not an LLM)",
                    ["options"] = new JsonObject { ["baseURL"] = ApiBaseUrl.ToString(), ["apiKey"] = "scripted-key" },
                    ["models"] = new JsonObject
                    {
                        [ModelId] = new JsonObject
                        {
                            ["name"] = "Scripted model",
                            ["tool_call"] = true,
                            ["limit"] = new JsonObject { ["context"] = 128000, ["output"] = 4096 },
                        },
                    },
                },
            },
            ["model"] = $"{ProviderId}/{ModelId}",
            ["small_model"] = $"{ProviderId}/{ModelId}",
            ["autoupdate"] = false,
            ["share"] = "disabled",
        };
        return config.ToJsonString();
    }

    /// <summary>Stops listening, closes every connection (cancelling held-back answers) and completes <see cref="Completion"/>.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopRequested, 1) == 1)
        {
            await stopped.Task.ConfigureAwait(false);
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        if (acceptLoop is not null)
        {
            await acceptLoop.ConfigureAwait(false);
        }

        foreach ((TcpClient client, _) in connections.Values)
        {
            client.Dispose();
        }

        await Task.WhenAll(connections.Values.Select(c => c.Task)).ConfigureAwait(false);
        logger.LogInformation("Scripted model server on port {Port} stopped", Port);
        stopped.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private void Start()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptLoopAsync(stopping.Token);
        if (options.MaxLifetime is TimeSpan lifetime)
        {
            _ = StopAfterLifetimeAsync(lifetime, stopping.Token);
        }

        logger.LogInformation("Scripted model server listening on {BaseAddress}", BaseAddress);
    }

    private async Task StopAfterLifetimeAsync(TimeSpan lifetime, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(lifetime, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        logger.LogInformation("Scripted model server on port {Port} reached its maximum lifetime of {Lifetime}", Port, lifetime);
        await StopAsync().ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException ex) when (cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug(ex, "Accept ended while stopping");
                return;
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            client.NoDelay = true;
            long id = Interlocked.Increment(ref nextConnectionId);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task task = ServeConnectionAsync(id, client, started.Task, cancellationToken);
            connections[id] = (client, task);
            started.SetResult();
        }
    }

    private async Task ServeConnectionAsync(long id, TcpClient client, Task registered, CancellationToken cancellationToken)
    {
        await registered.ConfigureAwait(false);
        try
        {
            var connection = new HttpConnection(client.GetStream(), options.MaxRequestBodyBytes);
            while (!cancellationToken.IsCancellationRequested)
            {
                HttpRequestData? request = await connection.ReadRequestAsync(cancellationToken).ConfigureAwait(false);
                if (request is null || !await HandleAsync(connection, request, cancellationToken).ConfigureAwait(false) || !request.KeepAlive)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Connection {Connection} closed because the server is stopping", id);
        }
        catch (InvalidDataException ex)
        {
            logger.LogWarning("Connection {Connection} sent a malformed request: {Error}", id, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            logger.LogDebug("Connection {Connection} ended: {Error}", id, ex.Message);
        }
        finally
        {
            client.Dispose();
            connections.TryRemove(id, out _);
        }
    }

    /// <summary>Answers one request; false when the connection must close afterwards.</summary>
    private async Task<bool> HandleAsync(HttpConnection connection, HttpRequestData request, CancellationToken cancellationToken)
    {
        string route = request.Method + " " + request.Path.TrimEnd('/');
        switch (route)
        {
            case "POST /v1/chat/completions" or "POST /chat/completions":
                return await ChatAsync(connection, request, cancellationToken).ConfigureAwait(false);
            case "GET /v1/models" or "GET /models":
                var model = new JsonObject { ["id"] = ModelId, ["object"] = "model", ["created"] = 0, ["owned_by"] = "aetherflow-scripted" };
                await WriteJsonAsync(connection, request, 200, new JsonObject { ["object"] = "list", ["data"] = new JsonArray(model) }, cancellationToken).ConfigureAwait(false);
                return true;
            case "GET /_health":
                await WriteJsonAsync(connection, request, 200, new JsonObject { ["ok"] = true, ["model"] = ModelId }, cancellationToken).ConfigureAwait(false);
                return true;
            case "GET /_requests":
                byte[] body = JsonSerializer.SerializeToUtf8Bytes(Requests, ScriptedModelJson.Default.IReadOnlyListScriptedModelRequest);
                await connection.WriteResponseAsync(200, "application/json", body, request.KeepAlive, cancellationToken).ConfigureAwait(false);
                return true;
            case "POST /_reset":
                Reset();
                await WriteJsonAsync(connection, request, 200, new JsonObject { ["ok"] = true }, cancellationToken).ConfigureAwait(false);
                return true;
            default:
                Record(request, "other", null, null, false, "-", [], 404);
                var error = ChatCompletionWriter.ErrorBody(404, $"no route for {request.Method} {request.Path}");
                await WriteJsonAsync(connection, request, 404, error, cancellationToken).ConfigureAwait(false);
                return true;
        }
    }

    private async Task<bool> ChatAsync(HttpConnection connection, HttpRequestData request, CancellationToken cancellationToken)
    {
        ChatRequest chat;
        try
        {
            chat = ChatRequest.Parse(request.Body, options.WorkScenarios);
        }
        catch (FormatException ex)
        {
            Record(request, "chat", null, null, false, "error", [], 400);
            await WriteJsonAsync(connection, request, 400, ChatCompletionWriter.ErrorBody(400, ex.Message), cancellationToken).ConfigureAwait(false);
            return true;
        }

        var writer = new ChatCompletionWriter(connection, chat.Stream, request.KeepAlive, chat.Model, options.TimeProvider);
        if (chat.IsTitleRequest)
        {
            RecordChat(chat, request, "title", null, null, chat.Stream, "text", [], 200);
            await writer.WriteTextAsync(TitleAnswer, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return true;
        }

        ScenarioScript script = Resolve(chat);
        string? sessionId = request.Header("X-Session-Id");
        if (script.FailOnceStatus is int failStatus && failedOnce.TryAdd(FailOnceKey(sessionId, chat, request.Body), 0))
        {
            RecordChat(chat, request, "chat", script.Name, chat.StepIndex, chat.Stream, "error", [], failStatus);
            await writer.WriteErrorAsync(failStatus, "scripted failure (once)", cancellationToken).ConfigureAwait(false);
            return true;
        }

        ScriptStep step = script.StepAt(chat.StepIndex);
        if (options.AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.AnswerDelay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        switch (step.Kind)
        {
            case ScriptStepKind.Text:
                RecordChat(chat, request, "chat", script.Name, chat.StepIndex, chat.Stream, "text", [], 200);
                await writer.WriteTextAsync(step.Text, step.ChunkDelay, cancellationToken).ConfigureAwait(false);
                return true;
            case ScriptStepKind.ToolCalls:
                RecordChat(chat, request, "chat", script.Name, chat.StepIndex, chat.Stream, "tool_calls", step.ToolCalls.Select(c => c.Name).ToList(), 200);
                await writer.WriteToolCallsAsync(step.ToolCalls.Select(c => c.ForWork(chat.WorkId)).ToList(), cancellationToken).ConfigureAwait(false);
                return true;
            case ScriptStepKind.Error:
                RecordChat(chat, request, "chat", script.Name, chat.StepIndex, chat.Stream, "error", [], step.ErrorStatus);
                await writer.WriteErrorAsync(step.ErrorStatus, step.ErrorMessage, cancellationToken).ConfigureAwait(false);
                return true;
            case ScriptStepKind.Garbage:
                RecordChat(chat, request, "chat", script.Name, chat.StepIndex, chat.Stream, "garbage", [], 200);
                await writer.WriteGarbageAsync(cancellationToken).ConfigureAwait(false);
                return true;
            case ScriptStepKind.Hang:
                if (!await HoldBackAsync(connection, step.Delay, () => RecordChat(chat, request, "chat", script.Name, chat.StepIndex, chat.Stream, "hang", [], 200), cancellationToken)
                    .ConfigureAwait(false))
                {
                    logger.LogDebug("Client closed the connection during a hang step of scenario {Scenario}", script.Name);
                    return false;
                }

                await writer.WriteTextAsync(step.Text, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                return true;
            default:
                throw new InvalidOperationException($"unknown step kind {step.Kind}");
        }
    }

    /// <summary>Waits <paramref name="delay"/>; false when the client closed the connection first (an aborted request).</summary>
    /// <param name="connection">The client connection, watched for closing.</param>
    /// <param name="delay">How long to hold back.</param>
    /// <param name="started">Runs once the wait is on the clock (the request is recorded then, so a test that sees the
    /// record can advance a fake clock without racing the server).</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    private async Task<bool> HoldBackAsync(HttpConnection connection, TimeSpan delay, Action started, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task delayTask = Task.Delay(delay, options.TimeProvider, waiting.Token);
        started();
        Task<bool> closed = connection.WaitForCloseAsync(cancellationToken);
        Task first = await Task.WhenAny(delayTask, closed).ConfigureAwait(false);
        if (first == closed && await closed.ConfigureAwait(false))
        {
            await waiting.CancelAsync().ConfigureAwait(false);
            return false;
        }

        await delayTask.ConfigureAwait(false);
        return true;
    }

    private ScenarioScript Resolve(ChatRequest chat)
    {
        if (options.Scripts.TryGetValue(chat.ScenarioName, out IReadOnlyList<ScriptStep>? custom))
        {
            return new ScenarioScript(chat.ScenarioName, custom);
        }

        return BuiltInScenarios.Resolve(chat.ScenarioName, chat.ScenarioArgument, chat.Command)
            ?? new ScenarioScript(chat.ScenarioName,
            [
                ScriptStep.Reply($"Unknown scenario '{chat.ScenarioName}'. Built-in scenarios: {string.Join(", ", BuiltInScenarios.Names)}"
                    + (options.Scripts.Count > 0 ? $"; custom: {string.Join(", ", options.Scripts.Keys)}." : ".")),
            ]);
    }

    /// <summary>Identifies "this step of this conversation": the session id when opencode sends one, else the body.</summary>
    private static string FailOnceKey(string? sessionId, ChatRequest chat, byte[] body) =>
        $"{sessionId ?? Convert.ToHexString(SHA256.HashData(body))}|{chat.SelectedMessageIndex}|{chat.StepIndex}";

    private void RecordChat(ChatRequest chat, HttpRequestData request, string kind, string? scenario, int? step, bool stream, string answer, IReadOnlyList<string> tools, int status) =>
        Record(request, kind, scenario, step, stream, answer, tools, status, chat.LastUserText);

    private void Record(HttpRequestData request, string kind, string? scenario, int? step, bool stream, string answer, IReadOnlyList<string> tools, int status, string? lastUserText = null)
    {
        lock (requestLogLock)
        {
            requestLog.Enqueue(new ScriptedModelRequest
            {
                Sequence = ++nextSequence,
                Time = options.TimeProvider.GetUtcNow(),
                Method = request.Method,
                Path = request.Path,
                SessionId = request.Header("X-Session-Id"),
                ParentSessionId = request.Header("x-parent-session-id"),
                Kind = kind,
                Scenario = scenario,
                Step = step,
                Stream = stream,
                Answer = answer,
                Tools = tools,
                Status = status,
                LastUserText = lastUserText is { Length: > 2000 } ? lastUserText[..2000] : lastUserText,
            });
            while (requestLog.Count > Math.Max(1, options.RequestLogCapacity))
            {
                requestLog.Dequeue();
            }
        }

        logger.LogDebug("{Method} {Path} session={Session} scenario={Scenario} step={Step} answer={Answer} status={Status}",
            request.Method, request.Path, request.Header("X-Session-Id") ?? "-", scenario ?? "-", step, answer, status);
    }

    private static Task WriteJsonAsync(HttpConnection connection, HttpRequestData request, int status, JsonObject body, CancellationToken cancellationToken) =>
        connection.WriteResponseAsync(status, "application/json", Encoding.UTF8.GetBytes(body.ToJsonString()), request.KeepAlive, cancellationToken);
}
