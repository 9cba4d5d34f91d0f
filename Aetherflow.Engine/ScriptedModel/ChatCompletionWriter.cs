using System.Text;
using System.Text.Json.Nodes;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>
/// Writes OpenAI chat-completions answers: server-sent events (<c>data: {chunk}</c> … a usage chunk …
/// <c>data: [DONE]</c>, chunked transfer) when the request streams, one JSON object otherwise.
/// </summary>
internal sealed class ChatCompletionWriter
{
    /// <summary>The usage every answer reports: fixed, so tests can assert token totals.</summary>
    public const int PromptTokens = 100;
    public const int CompletionTokens = 20;

    private const int StreamedTextChunks = 5;

    private readonly HttpConnection connection;
    private readonly bool stream;
    private readonly bool keepAlive;
    private readonly string model;
    private readonly TimeProvider timeProvider;
    private readonly string id;

    public ChatCompletionWriter(HttpConnection connection, bool stream, bool keepAlive, string model, TimeProvider timeProvider)
    {
        this.connection = connection;
        this.stream = stream;
        this.keepAlive = keepAlive;
        this.model = model;
        this.timeProvider = timeProvider;
        id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
    }

    /// <summary>Answers with text; with a chunk delay the text streams in several chunks that far apart.</summary>
    public async Task WriteTextAsync(string text, TimeSpan chunkDelay, CancellationToken cancellationToken)
    {
        if (!stream)
        {
            if (chunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(chunkDelay * (StreamedTextChunks - 1), timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var message = new JsonObject { ["role"] = "assistant", ["content"] = text };
            await WriteJsonAsync(200, Completion(message, "stop"), cancellationToken).ConfigureAwait(false);
            return;
        }

        await connection.StartChunkedAsync(200, "text/event-stream", keepAlive, cancellationToken).ConfigureAwait(false);
        await WriteEventAsync(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> pieces = Split(text, chunkDelay > TimeSpan.Zero ? StreamedTextChunks : 3);
        for (int i = 0; i < pieces.Count; i++)
        {
            // The pause is started before the piece is written, so a client that sees the piece knows the next one is
            // already scheduled on the clock (tests advance a fake clock right after reading a piece).
            Task pause = i + 1 < pieces.Count && chunkDelay > TimeSpan.Zero
                ? Task.Delay(chunkDelay, timeProvider, cancellationToken)
                : Task.CompletedTask;
            await WriteEventAsync(Chunk(new JsonObject { ["content"] = pieces[i] }, null), cancellationToken).ConfigureAwait(false);
            await pause.ConfigureAwait(false);
        }

        await FinishStreamAsync("stop", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers with tool calls in one assistant message.</summary>
    public async Task WriteToolCallsAsync(IReadOnlyList<ScriptedToolCall> calls, CancellationToken cancellationToken)
    {
        string[] callIds = calls.Select(_ => "call_" + Guid.NewGuid().ToString("N")[..24]).ToArray();
        if (!stream)
        {
            var toolCalls = new JsonArray();
            for (int i = 0; i < calls.Count; i++)
            {
                toolCalls.Add((JsonNode)new JsonObject
                {
                    ["id"] = callIds[i],
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = calls[i].Name, ["arguments"] = calls[i].ArgumentsJson },
                });
            }

            var message = new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = toolCalls };
            await WriteJsonAsync(200, Completion(message, "tool_calls"), cancellationToken).ConfigureAwait(false);
            return;
        }

        await connection.StartChunkedAsync(200, "text/event-stream", keepAlive, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < calls.Count; i++)
        {
            // First the call's id and name with empty arguments, then the arguments, as OpenAI streams them.
            var opening = new JsonObject
            {
                ["index"] = i,
                ["id"] = callIds[i],
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = calls[i].Name, ["arguments"] = string.Empty },
            };
            var openingDelta = new JsonObject { ["tool_calls"] = new JsonArray(opening) };
            if (i == 0)
            {
                openingDelta["role"] = "assistant";
                openingDelta["content"] = null;
            }

            await WriteEventAsync(Chunk(openingDelta, null), cancellationToken).ConfigureAwait(false);
            var arguments = new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = calls[i].ArgumentsJson } };
            await WriteEventAsync(Chunk(new JsonObject { ["tool_calls"] = new JsonArray(arguments) }, null), cancellationToken).ConfigureAwait(false);
        }

        await FinishStreamAsync("tool_calls", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers with an HTTP error and an OpenAI-style error body.</summary>
    public Task WriteErrorAsync(int status, string message, CancellationToken cancellationToken) =>
        WriteJsonAsync(status, ErrorBody(status, message), cancellationToken);

    /// <summary>Answers with a malformed event stream (or a malformed JSON body).</summary>
    public async Task WriteGarbageAsync(CancellationToken cancellationToken)
    {
        if (!stream)
        {
            await connection.WriteResponseAsync(200, "application/json", "{\"id\": \"broken\", \"choices\": [ this is not json"u8.ToArray(), keepAlive, cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        await connection.StartChunkedAsync(200, "text/event-stream", keepAlive, cancellationToken).ConfigureAwait(false);
        await WriteEventAsync(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null), cancellationToken).ConfigureAwait(false);
        await connection.WriteChunkAsync("data: {\"id\":\"broken\",\"choices\":[{\"delta\":{\"content\":\"oops\"\n\n", cancellationToken).ConfigureAwait(false);
        await connection.WriteChunkAsync("data: [DONE]\n\n", cancellationToken).ConfigureAwait(false);
        await connection.EndChunkedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An OpenAI-style error body.</summary>
    public static JsonObject ErrorBody(int status, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = status >= 500 ? "server_error" : "invalid_request_error",
            ["code"] = "scripted_failure",
        },
    };

    private static JsonObject Usage() => new()
    {
        ["prompt_tokens"] = PromptTokens,
        ["completion_tokens"] = CompletionTokens,
        ["total_tokens"] = PromptTokens + CompletionTokens,
    };

    /// <summary>Splits text into at most <paramref name="count"/> pieces at word boundaries, keeping every character.</summary>
    private static List<string> Split(string text, int count)
    {
        string[] words = text.Split(' ');
        int perPiece = Math.Max(1, (int)Math.Ceiling(words.Length / (double)count));
        var pieces = new List<string>();
        for (int i = 0; i < words.Length; i += perPiece)
        {
            bool last = i + perPiece >= words.Length;
            pieces.Add(string.Join(' ', words.Skip(i).Take(perPiece)) + (last ? string.Empty : " "));
        }

        return pieces;
    }

    private async Task FinishStreamAsync(string finishReason, CancellationToken cancellationToken)
    {
        await WriteEventAsync(Chunk([], finishReason), cancellationToken).ConfigureAwait(false);
        JsonObject usage = Envelope("chat.completion.chunk");
        usage["choices"] = new JsonArray();
        usage["usage"] = Usage();
        await WriteEventAsync(usage, cancellationToken).ConfigureAwait(false);
        await connection.WriteChunkAsync("data: [DONE]\n\n", cancellationToken).ConfigureAwait(false);
        await connection.EndChunkedAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task WriteEventAsync(JsonObject data, CancellationToken cancellationToken) =>
        connection.WriteChunkAsync("data: " + data.ToJsonString() + "\n\n", cancellationToken);

    private Task WriteJsonAsync(int status, JsonObject body, CancellationToken cancellationToken) =>
        connection.WriteResponseAsync(status, "application/json", Encoding.UTF8.GetBytes(body.ToJsonString()), keepAlive, cancellationToken);

    private JsonObject Completion(JsonObject message, string finishReason)
    {
        JsonObject completion = Envelope("chat.completion");
        completion["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason });
        completion["usage"] = Usage();
        return completion;
    }

    private JsonObject Chunk(JsonObject delta, string? finishReason)
    {
        JsonObject chunk = Envelope("chat.completion.chunk");
        chunk["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason });
        return chunk;
    }

    private JsonObject Envelope(string kind) => new()
    {
        ["id"] = id,
        ["object"] = kind,
        ["created"] = timeProvider.GetUtcNow().ToUnixTimeSeconds(),
        ["model"] = model,
    };
}
