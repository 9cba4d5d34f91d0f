using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// A typed client for the parts of opencode's HTTP API the engine uses: health, sessions, prompts, messages, status,
/// abort and permissions. Every call has a timeout, sends HTTP Basic auth when the connection has a password, and is
/// scoped to a directory (an opencode instance) with <c>?directory=</c> when one is given. Failures throw
/// <see cref="OpencodeApiException"/> with a one-line message that includes the status and opencode's own message.
/// </summary>
public sealed class OpencodeClient : IDisposable
{
    private readonly Func<OpencodeConnection> connection;
    private readonly OpencodeClientOptions options;
    private readonly HttpClient http;

    /// <summary>A client for a fixed server.</summary>
    public OpencodeClient(OpencodeConnection connection, OpencodeClientOptions? options = null)
        : this(() => connection, options)
    {
        ArgumentNullException.ThrowIfNull(connection);
    }

    /// <summary>A client that asks <paramref name="connection"/> for the server before each call (a managed server can move).</summary>
    public OpencodeClient(Func<OpencodeConnection> connection, OpencodeClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        this.connection = connection;
        this.options = options ?? new OpencodeClientOptions();
        http = this.options.Handler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) }, disposeHandler: true);
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>The server the next call goes to.</summary>
    public OpencodeConnection Connection => connection();

    /// <summary><c>GET /global/health</c>, with the short health timeout.</summary>
    public async Task<OpencodeHealth> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        JsonElement json = await SendJsonAsync(HttpMethod.Get, "/global/health", null, null, null, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
        return new OpencodeHealth(json.TryGetProperty("healthy", out JsonElement healthy) && healthy.ValueKind == JsonValueKind.True, OpencodeJson.String(json, "version") ?? string.Empty);
    }

    /// <summary><c>POST /session</c>: creates a session working in <paramref name="directory"/> (the server's directory when null).</summary>
    public async Task<OpencodeSession> CreateSessionAsync(OpencodeSessionCreateRequest request, string? directory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new JsonObject();
        if (request.Title is not null)
        {
            body["title"] = request.Title;
        }

        if (request.ParentId is not null)
        {
            body["parentID"] = ValidSessionId(request.ParentId);
        }

        if (request.Agent is not null)
        {
            body["agent"] = request.Agent;
        }

        if (request.Metadata is not null)
        {
            body["metadata"] = new JsonObject(request.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));
        }

        if (request.Permission is not null)
        {
            body["permission"] = Rules(request.Permission);
        }

        JsonElement json = await SendJsonAsync(HttpMethod.Post, "/session", directory, null, body, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return OpencodeSession.FromJson(json);
    }

    /// <summary><c>GET /session/:id</c>; a missing session throws with <see cref="OpencodeApiException.IsNotFound"/>.</summary>
    public async Task<OpencodeSession> GetSessionAsync(string sessionId, string? directory = null, CancellationToken cancellationToken = default)
    {
        JsonElement json = await SendJsonAsync(HttpMethod.Get, "/session/" + ValidSessionId(sessionId), directory, null, null, options.RequestTimeout, cancellationToken)
            .ConfigureAwait(false);
        return OpencodeSession.FromJson(json);
    }

    /// <summary><c>GET /session</c>: the sessions of <paramref name="directory"/>'s project.</summary>
    public async Task<IReadOnlyList<OpencodeSession>> ListSessionsAsync(string? directory = null, CancellationToken cancellationToken = default)
    {
        JsonElement json = await SendJsonAsync(HttpMethod.Get, "/session", directory, null, null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return json.EnumerateArray().Select(OpencodeSession.FromJson).ToList();
    }

    /// <summary><c>DELETE /session/:id</c>.</summary>
    public async Task<bool> DeleteSessionAsync(string sessionId, string? directory = null, CancellationToken cancellationToken = default)
    {
        JsonElement json = await SendJsonAsync(HttpMethod.Delete, "/session/" + ValidSessionId(sessionId), directory, null, null, options.RequestTimeout, cancellationToken)
            .ConfigureAwait(false);
        return json.ValueKind == JsonValueKind.True;
    }

    /// <summary>
    /// <c>POST /session/:id/prompt_async</c>: queues the prompt and returns at once (204). Progress shows in the event
    /// stream, <see cref="GetSessionStatusAsync"/> and <see cref="GetMessagesAsync"/>.
    /// </summary>
    public async Task PromptAsync(string sessionId, OpencodePrompt prompt, string? directory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var body = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = prompt.Text }) };
        if (prompt.Agent is not null)
        {
            body["agent"] = prompt.Agent;
        }

        if (prompt.Model is not null)
        {
            body["model"] = new JsonObject { ["providerID"] = prompt.Model.ProviderId, ["modelID"] = prompt.Model.ModelId };
        }

        if (prompt.System is not null)
        {
            body["system"] = prompt.System;
        }

        await SendAsync(HttpMethod.Post, $"/session/{ValidSessionId(sessionId)}/prompt_async", directory, null, body, options.RequestTimeout, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary><c>GET /session/:id/message</c>: the messages in order, user and assistant (the last <paramref name="limit"/> when given).</summary>
    public async Task<IReadOnlyList<OpencodeMessage>> GetMessagesAsync(string sessionId, string? directory = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        string? query = limit is int n ? "limit=" + n.ToString(CultureInfo.InvariantCulture) : null;
        JsonElement json = await SendJsonAsync(HttpMethod.Get, $"/session/{ValidSessionId(sessionId)}/message", directory, query, null, options.RequestTimeout, cancellationToken)
            .ConfigureAwait(false);
        return json.EnumerateArray().Select(OpencodeMessage.FromJson).ToList();
    }

    /// <summary>
    /// <c>GET /session/:id/message</c> as the raw JSON array (UTF-8), for backfilling the event store without reshaping it.
    /// </summary>
    public Task<byte[]> GetMessagesJsonAsync(string sessionId, string? directory = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"/session/{ValidSessionId(sessionId)}/message", directory, null, null, options.RequestTimeout, cancellationToken);

    /// <summary>
    /// Opens <c>GET /global/event</c>, the server-sent event stream of every instance, and returns the response once its
    /// headers arrived; read the body with <c>OpencodeEventStreamReader</c> and dispose the response to disconnect.
    /// </summary>
    public async Task<HttpResponseMessage> OpenGlobalEventStreamAsync(CancellationToken cancellationToken = default)
    {
        OpencodeConnection server = connection();
        using var request = new HttpRequestMessage(HttpMethod.Get, BuildUri(server.BaseAddress, "/global/event", null, null));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (server.Password is not null)
        {
            string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{server.Username}:{server.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        using var timeoutSource = new CancellationTokenSource(options.RequestTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OpencodeApiException($"opencode GET /global/event failed: no answer from {server.BaseAddress} within {options.RequestTimeout.TotalSeconds:0.###}s", ex) { IsTimeout = true };
        }
        catch (HttpRequestException ex)
        {
            throw new OpencodeApiException($"opencode GET /global/event failed: cannot reach {server.BaseAddress} ({OneLine(ex.Message)})", ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                throw Failure(HttpMethod.Get, "/global/event", response.StatusCode, content);
            }
        }

        return response;
    }

    /// <summary><c>POST /session/:id/abort</c>: the running message ends with <c>MessageAbortedError</c>.</summary>
    public async Task<bool> AbortSessionAsync(string sessionId, string? directory = null, CancellationToken cancellationToken = default)
    {
        JsonElement json = await SendJsonAsync(HttpMethod.Post, $"/session/{ValidSessionId(sessionId)}/abort", directory, null, null, options.RequestTimeout, cancellationToken)
            .ConfigureAwait(false);
        return json.ValueKind == JsonValueKind.True;
    }

    /// <summary><c>GET /session/status</c>: busy and retrying sessions by id; idle sessions are absent.</summary>
    public async Task<IReadOnlyDictionary<string, OpencodeSessionStatus>> GetSessionStatusAsync(string? directory = null, CancellationToken cancellationToken = default)
    {
        JsonElement json = await SendJsonAsync(HttpMethod.Get, "/session/status", directory, null, null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return json.EnumerateObject().ToDictionary(p => p.Name, p => OpencodeSessionStatus.FromJson(p.Value), StringComparer.Ordinal);
    }

    /// <summary><c>GET /permission</c>: pending permission requests.</summary>
    public async Task<IReadOnlyList<OpencodePermissionRequest>> ListPermissionsAsync(string? directory = null, CancellationToken cancellationToken = default)
    {
        JsonElement json = await SendJsonAsync(HttpMethod.Get, "/permission", directory, null, null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return json.EnumerateArray().Select(OpencodePermissionRequest.FromJson).ToList();
    }

    /// <summary><c>POST /permission/:id/reply</c>.</summary>
    public async Task<bool> ReplyToPermissionAsync(
        string requestId, OpencodePermissionReply reply, string? message = null, string? directory = null, CancellationToken cancellationToken = default)
    {
        if (!Identifiers.IsSessionId(requestId))
        {
            throw new ArgumentException($"'{requestId}' is not a valid opencode permission request id", nameof(requestId));
        }

        var body = new JsonObject
        {
            ["reply"] = reply switch
            {
                OpencodePermissionReply.Once => "once",
                OpencodePermissionReply.Always => "always",
                OpencodePermissionReply.Reject => "reject",
                _ => throw new ArgumentOutOfRangeException(nameof(reply), reply, "unknown reply"),
            },
        };
        if (message is not null)
        {
            body["message"] = message;
        }

        JsonElement json = await SendJsonAsync(HttpMethod.Post, $"/permission/{requestId}/reply", directory, null, body, options.RequestTimeout, cancellationToken)
            .ConfigureAwait(false);
        return json.ValueKind == JsonValueKind.True;
    }

    public void Dispose() => http.Dispose();

    /// <summary>Rules as opencode's JSON (shared with the server's <c>OPENCODE_PERMISSION</c> builder).</summary>
    internal static JsonArray Rules(IEnumerable<OpencodePermissionRule> rules) =>
        [.. rules.Select(r => (JsonNode)new JsonObject
        {
            ["permission"] = r.Permission,
            ["pattern"] = r.Pattern,
            ["action"] = OpencodeJson.ActionName(r.Action),
        })];

    private static string ValidSessionId(string sessionId) =>
        Identifiers.IsSessionId(sessionId) ? sessionId : throw new ArgumentException($"'{sessionId}' is not a valid opencode session id", nameof(sessionId));

    private async Task<JsonElement> SendJsonAsync(
        HttpMethod method, string path, string? directory, string? query, JsonNode? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte[] content = await SendAsync(method, path, directory, query, body, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            using JsonDocument document = JsonDocument.Parse(content);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new OpencodeApiException($"opencode {method} {path} failed: the answer is not JSON ({OneLine(Encoding.UTF8.GetString(content))})", ex);
        }
    }

    private async Task<byte[]> SendAsync(
        HttpMethod method, string path, string? directory, string? query, JsonNode? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        OpencodeConnection server = connection();
        using var request = new HttpRequestMessage(method, BuildUri(server.BaseAddress, path, directory, query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (server.Password is not null)
        {
            string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{server.Username}:{server.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var timeoutSource = new CancellationTokenSource(timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, linked.Token).ConfigureAwait(false);
            byte[] content = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(method, path, response.StatusCode, content);
            }

            return content;
        }
        catch (OperationCanceledException ex) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OpencodeApiException($"opencode {method} {path} failed: no answer from {server.BaseAddress} within {timeout.TotalSeconds:0.###}s", ex)
            {
                IsTimeout = true,
            };
        }
        catch (HttpRequestException ex)
        {
            throw new OpencodeApiException($"opencode {method} {path} failed: cannot reach {server.BaseAddress} ({OneLine(ex.Message)})", ex);
        }
    }

    private static Uri BuildUri(Uri baseAddress, string path, string? directory, string? query)
    {
        var parameters = new List<string>();
        if (directory is not null)
        {
            if (!Path.IsPathFullyQualified(directory))
            {
                throw new ArgumentException($"the opencode directory must be an absolute path, not '{directory}'", nameof(directory));
            }

            parameters.Add("directory=" + Uri.EscapeDataString(directory));
        }

        if (query is not null)
        {
            parameters.Add(query);
        }

        string relative = path.TrimStart('/') + (parameters.Count > 0 ? "?" + string.Join('&', parameters) : string.Empty);
        string root = baseAddress.ToString();
        return new Uri(new Uri(root.EndsWith('/') ? root : root + "/"), relative);
    }

    private static OpencodeApiException Failure(HttpMethod method, string path, HttpStatusCode status, byte[] content)
    {
        string text = Encoding.UTF8.GetString(content);
        string? name = null;
        string? message = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(content);
            JsonElement root = document.RootElement;
            name = OpencodeJson.String(root, "name") ?? OpencodeJson.String(root, "_tag");
            message = (OpencodeJson.Property(root, "data") is { } data ? OpencodeJson.String(data, "message") : null)
                ?? OpencodeJson.String(root, "message")
                ?? (OpencodeJson.Property(root, "error") is { } error ? OpencodeJson.String(error, "message") ?? OpencodeJson.String(root, "error") : null);
        }
        catch (JsonException)
        {
            // Not JSON (an empty 401 body, a proxy page): the text itself is the message.
            message = text.Length > 0 ? text : null;
        }

        string detail = status == HttpStatusCode.Unauthorized
            ? "the server refused the credentials; check the opencode server password"
            : message is not null ? OneLine(message) : name ?? "no details";
        return new OpencodeApiException($"opencode {method} {path} failed: {(int)status} {ReasonPhrase(status)}: {detail}")
        {
            StatusCode = status,
            ErrorName = name,
            ErrorMessage = message,
        };
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        _ => status.ToString(),
    };

    private static string OneLine(string text)
    {
        string line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
