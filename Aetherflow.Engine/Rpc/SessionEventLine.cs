using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Recognises a well-formed <c>session.event</c> notification line —
/// <c>{"jsonrpc":"2.0","method":"session.event","params":{…}}</c> without an <c>id</c> — and returns it parsed, with
/// its <c>params</c> object, so the socket can hand the plugin's events to the pipeline without a JSON-RPC dispatch
/// each and without reading a line twice. Anything else (a request, params that are not an object, invalid JSON) is
/// left to the normal path, which replies or logs as it always did.
/// </summary>
internal static class SessionEventLine
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>
    /// True when <paramref name="line"/> is a session.event notification, with the parsed line (which references the
    /// line's memory: it must outlive the document; the caller owns and disposes it) and its params object.
    /// </summary>
    public static bool TryParse(ReadOnlySequence<byte> line, [NotNullWhen(true)] out JsonDocument? document, out JsonElement parameters)
    {
        parameters = default;
        try
        {
            // Refuses a second value on the line, too; the normal path then replies with the error.
            document = JsonDocument.Parse(line, Options);
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }

        if (IsSessionEvent(document.RootElement, out parameters))
        {
            return true;
        }

        document.Dispose();
        document = null;
        parameters = default;
        return false;
    }

    private static bool IsSessionEvent(JsonElement message, out JsonElement parameters)
    {
        parameters = default;
        if (message.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        bool version = false;
        bool method = false;
        foreach (JsonProperty member in message.EnumerateObject())
        {
            if (member.NameEquals("jsonrpc"u8))
            {
                version = member.Value.ValueKind == JsonValueKind.String && member.Value.ValueEquals("2.0"u8);
            }
            else if (member.NameEquals("method"u8))
            {
                method = member.Value.ValueKind == JsonValueKind.String && member.Value.ValueEquals("session.event"u8);
            }
            else if (member.NameEquals("params"u8))
            {
                parameters = member.Value;
            }
            else if (member.NameEquals("id"u8))
            {
                // A request wants a reply: the JSON-RPC dispatcher gives it one.
                return false;
            }
        }

        return version && method && parameters.ValueKind == JsonValueKind.Object;
    }
}
