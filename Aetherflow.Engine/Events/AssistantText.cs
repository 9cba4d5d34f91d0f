using System.Text.Json;
using Aetherflow.Engine.Collections;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Events;

/// <summary>
/// The latest text an assistant wrote in a session: set by text parts, grown by streamed <c>message.part.delta</c>s
/// (which are not stored, so this is where text progress shows), and kept to its last <c>maxLength</c> characters.
/// </summary>
internal sealed class AssistantText(int maxLength, JsonStringCache strings)
{
    private const int RolesKept = 2000;
    private readonly RecentMap<string> rolesByMessage = new(RolesKept);
    private string? partId;

    public string? Current { get; private set; }

    /// <summary>Remembers whose message <paramref name="messageId"/> is (<c>user</c> or <c>assistant</c>).</summary>
    public void RememberRole(string messageId, string role)
    {
        rolesByMessage.Set(messageId, role);
    }

    /// <summary>Takes the text of an assistant text part.</summary>
    public void ApplyPart(JsonElement part)
    {
        if (strings.Property(part, "id"u8) is not { } id || !IsAssistant(part))
        {
            return;
        }

        partId = id;
        if (Text(part, "text"u8) is { Length: > 0 } text)
        {
            Current = Tail(text);
        }
    }

    /// <summary>Appends a streamed text delta (<c>{partID, messageID, field:"text", delta}</c>).</summary>
    public void ApplyDelta(JsonElement properties)
    {
        if (Text(properties, "field"u8) != "text" || Text(properties, "partID"u8) is not { } id || Text(properties, "delta"u8) is not { } delta)
        {
            return;
        }

        if (Text(properties, "messageID"u8) is { } messageId && rolesByMessage.TryGetValue(messageId, out string? role) && role != "assistant")
        {
            return;
        }

        Current = id == partId ? Tail(Current + delta) : Tail(delta);
        partId = id;
    }

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // The prompt must not become "what the agent said": parts of known user messages are skipped, and so are parts of
    // unknown messages without timing (opencode times assistant text parts only).
    private bool IsAssistant(JsonElement part) =>
        strings.Property(part, "messageID"u8) is { } messageId && rolesByMessage.TryGetValue(messageId, out string? role)
            ? role == "assistant"
            : part.TryGetProperty("time"u8, out _);

    private string Tail(string text) => text.Length <= maxLength ? text : text[^maxLength..];
}
