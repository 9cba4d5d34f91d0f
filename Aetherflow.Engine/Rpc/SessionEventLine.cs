using System.Buffers;
using System.Text.Json;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Recognises a well-formed <c>session.event</c> notification line —
/// <c>{"jsonrpc":"2.0","method":"session.event","params":{…}}</c> without an <c>id</c> — and returns its
/// <c>params</c> bytes, so the socket can hand the plugin's events to the pipeline without a JSON-RPC dispatch each.
/// Anything else (a request, params that are not an object, invalid JSON) is left to the normal path, which replies
/// or logs as it always did.
/// </summary>
internal static class SessionEventLine
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>True, with the params object's bytes (a slice of <paramref name="line"/>), when <paramref name="line"/> is a session.event notification.</summary>
    public static bool TryGetParameters(ReadOnlySequence<byte> line, out ReadOnlySequence<byte> parameters)
    {
        parameters = default;
        try
        {
            var reader = new Utf8JsonReader(line, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            bool version = false;
            bool method = false;
            long start = -1;
            long end = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("jsonrpc"u8))
                {
                    reader.Read();
                    version = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8);
                }
                else if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    method = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("session.event"u8);
                    if (!method)
                    {
                        // Every other message goes to the dispatcher: stop here rather than scan the rest of it twice.
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("params"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    start = reader.TokenStartIndex;
                    reader.Skip();
                    end = reader.BytesConsumed;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    // A request wants a reply: the JSON-RPC dispatcher gives it one.
                    return false;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Reading on refuses (throws) a second value on the line; the normal path then replies with the error.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || !version || !method || start < 0)
            {
                return false;
            }

            parameters = line.Slice(start, end - start);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
