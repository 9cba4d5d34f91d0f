using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Rpc;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow rpc call &lt;method&gt; [params-json]</c>: raw access to any method. Prints the <c>result</c> as JSON;
/// a JSON-RPC error goes to stderr as one line (and as JSON with <c>--json</c>) with exit code 1.
/// </summary>
internal static class RpcCommand
{
    public static Command Create(EngineConnection engine)
    {
        var method = new Argument<string>("method") { Description = "The method, e.g. status.get" };
        var parameters = new Argument<string?>("params") { Description = "The params as a JSON object or array", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOption.Create();
        var call = new Command("call", "Call a JSON-RPC method and print its result") { method, parameters, json };
        call.SetAction((result, cancellationToken) => CallAsync(result, engine, result.GetRequiredValue(method), result.GetValue(parameters), result.GetValue(json), cancellationToken));
        return new Command("rpc", "Raw JSON-RPC access to the engine") { call };
    }

    private static async Task<int> CallAsync(ParseResult result, EngineConnection engine, string method, string? parametersText, bool json, CancellationToken cancellationToken)
    {
        JsonNode? parameters = null;
        if (parametersText is not null)
        {
            try
            {
                parameters = JsonNode.Parse(parametersText);
            }
            catch (JsonException ex)
            {
                return CommandOutput.Fail(result, $"params are not valid JSON: {ex.Message.Split('\n')[0]}", ExitCodes.ConfigError);
            }

            if (parameters is not (JsonObject or JsonArray))
            {
                return CommandOutput.Fail(result, "params must be a JSON object or array, e.g. '{\"agent\":\"ghost_wolf\"}'", ExitCodes.ConfigError);
            }
        }

        string socketPath;
        Aetherflow.Engine.Config.AetherflowConfig config;
        try
        {
            config = engine.LoadConfig(result);
            socketPath = engine.SocketPath(config);
        }
        catch (Aetherflow.Engine.Config.ConfigException ex)
        {
            return CommandOutput.Fail(result, ex.Message, ExitCodes.ConfigError);
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return CommandOutput.Fail(result, new EngineNotRunningException(socketPath, ex).Message, ExitCodes.NoEngine);
        }

        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);

        // Raw, but still never another project's engine by accident.
        JsonObject? hello = await CallAsync(stream, reader, 0, "engine.hello", new JsonObject { ["client"] = "aetherflow rpc call" }, cancellationToken).ConfigureAwait(false);
        if (hello?["result"] is JsonObject identity
            && ProjectGuard.Problem(config, identity["project"]?.GetValue<string>() ?? string.Empty, identity["project_directory"]?.GetValue<string>() ?? string.Empty) is { } problem)
        {
            return CommandOutput.Fail(result, problem);
        }

        JsonObject? reply = await CallAsync(stream, reader, 1, method, parameters, cancellationToken).ConfigureAwait(false);
        if (reply is null)
        {
            return CommandOutput.Fail(result, "the engine closed the connection without replying");
        }

        if (reply["error"] is JsonObject error)
        {
            if (json)
            {
                CommandOutput.Error(result).WriteLine(new JsonObject { ["error"] = error.DeepClone() }.ToJsonString(EngineJson.Options));
                return ExitCodes.Failure;
            }

            return CommandOutput.Fail(result, $"{error["message"]} (code {error["code"]})");
        }

        CommandOutput.Out(result).WriteLine(reply["result"]?.ToJsonString(EngineJson.IndentedOptions) ?? "null");
        return ExitCodes.Success;
    }

    // Sends one request and returns its reply (or an error without id), skipping notifications; null when the connection ends.
    private static async Task<JsonObject?> CallAsync(NetworkStream stream, StreamReader reader, int id, string method, JsonNode? parameters, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToJsonString() + "\n"), cancellationToken).ConfigureAwait(false);
        JsonObject? reply;
        do
        {
            string? line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            reply = JsonNode.Parse(line) as JsonObject;
        }
        while (reply is null || reply["id"] is null && reply["error"] is null);

        return reply;
    }
}
