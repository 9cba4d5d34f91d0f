using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Aetherflow.Engine.ScriptedModel;

namespace Aetherflow.Engine.Tests.ScriptedModel;

/// <summary>Talks to a scripted model server over real HTTP, the way an OpenAI-compatible client does.</summary>
public sealed class ScriptedModelClient : IDisposable
{
    private readonly HttpClient http;

    public ScriptedModelClient(ScriptedModelServer server)
    {
        http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Http => http;

    /// <summary>A conversation: alternating roles, as opencode sends it.</summary>
    public static JsonArray Conversation(params (string Role, string Text)[] messages) =>
        [.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Text })];

    public static JsonObject Body(JsonArray messages, bool stream) => new()
    {
        ["model"] = "scripted-model",
        ["stream"] = stream,
        ["messages"] = messages.DeepClone(),
    };

    public static HttpRequestMessage Post(JsonObject body, string path = "v1/chat/completions", string? sessionId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (sessionId is not null)
        {
            request.Headers.Add("X-Session-Id", sessionId);
        }

        return request;
    }

    /// <summary>Sends a streaming request and returns the <c>data:</c> payloads in order (including <c>[DONE]</c>).</summary>
    public async Task<StreamedAnswer> StreamAsync(JsonArray messages, string? sessionId = null, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await http.SendAsync(Post(Body(messages, stream: true), sessionId: sessionId), cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new StreamedAnswer(response.StatusCode, response.Content.Headers.ContentType, response.Headers.TransferEncodingChunked == true, text);
    }

    /// <summary>Sends a non-streaming request and returns status and parsed body.</summary>
    public async Task<(int Status, JsonObject Body)> CompleteAsync(JsonArray messages, string? sessionId = null)
    {
        using HttpResponseMessage response = await http.SendAsync(Post(Body(messages, stream: false), sessionId: sessionId));
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public void Dispose() => http.Dispose();

    /// <summary>The outcome of a streaming request.</summary>
    public sealed record StreamedAnswer(System.Net.HttpStatusCode Status, MediaTypeHeaderValue? ContentType, bool Chunked, string Raw)
    {
        public IReadOnlyList<string> Data => Raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.StartsWith("data: ", StringComparison.Ordinal) ? block["data: ".Length..] : throw new AssertionException($"not an SSE data block: {block}"))
            .ToList();

        /// <summary>The parsed chunks, without the final <c>[DONE]</c>.</summary>
        public IReadOnlyList<JsonObject> Chunks => Data.Where(d => d != "[DONE]").Select(d => JsonNode.Parse(d)!.AsObject()).ToList();

        public string Text => string.Concat(Chunks
            .SelectMany(c => c["choices"]!.AsArray())
            .Select(choice => choice!["delta"]?["content"]?.GetValue<string?>() ?? string.Empty));

        public string? FinishReason => Chunks
            .SelectMany(c => c["choices"]!.AsArray())
            .Select(choice => choice!["finish_reason"]?.GetValue<string?>())
            .LastOrDefault(reason => reason is not null);

        /// <summary>Tool calls assembled from their streamed pieces: index → (id, name, arguments).</summary>
        public IReadOnlyList<(string Id, string Name, JsonObject Arguments)> ToolCalls
        {
            get
            {
                var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Args)>();
                foreach (JsonNode? call in Chunks.SelectMany(c => c["choices"]!.AsArray()).SelectMany(choice => choice!["delta"]?["tool_calls"]?.AsArray() ?? []))
                {
                    int index = call!["index"]!.GetValue<int>();
                    if (!calls.TryGetValue(index, out var entry))
                    {
                        entry = (call["id"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>(), new StringBuilder());
                        calls[index] = entry;
                    }

                    entry.Args.Append(call["function"]?["arguments"]?.GetValue<string>());
                }

                return calls.Values.Select(c => (c.Id, c.Name, JsonNode.Parse(c.Args.ToString())!.AsObject())).ToList();
            }
        }
    }
}
