using System.Text.Json;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>Turns opencode's error shapes into one terminal-safe line.</summary>
public static class OpencodeErrorText
{
    /// <summary>The longest line returned.</summary>
    public const int MaxLength = 300;

    /// <summary>
    /// Describes <paramref name="error"/>: <c>{"name","data":{"message"}}</c> (session and message errors) as
    /// <c>APIError: scripted failure</c>, a plain string (tool errors) as itself. Null when there is nothing to say.
    /// </summary>
    public static string? Describe(JsonElement error)
    {
        string? text = error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object => FromObject(error),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return TerminalText.Truncate(TerminalText.SanitizeLine(text).Trim(), MaxLength);
    }

    /// <summary>The error's <c>name</c> (e.g. <c>MessageAbortedError</c>), or null.</summary>
    public static string? Name(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object && error.TryGetProperty("name"u8, out JsonElement name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;

    private static string? FromObject(JsonElement error)
    {
        string? name = Name(error);
        string? message = null;
        if (error.TryGetProperty("data"u8, out JsonElement data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("message"u8, out JsonElement m) && m.ValueKind == JsonValueKind.String)
        {
            message = m.GetString();
        }
        else if (error.TryGetProperty("message"u8, out JsonElement direct) && direct.ValueKind == JsonValueKind.String)
        {
            message = direct.GetString();
        }

        return (name, message) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"{name}: {message}",
            (_, { Length: > 0 }) => message,
            ({ Length: > 0 }, _) => name,
            _ => null,
        };
    }
}
