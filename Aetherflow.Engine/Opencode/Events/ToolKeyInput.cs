using System.Text.Json;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// The one input value that says what a tool call is about: <c>read</c>/<c>edit</c>/<c>write</c> → <c>filePath</c>,
/// <c>bash</c> → <c>command</c>, <c>glob</c>/<c>grep</c> → <c>pattern</c>, <c>task</c> → <c>description</c>,
/// <c>skill</c> → <c>name</c>, <c>webfetch</c> → <c>url</c>; any other tool → the first non-empty of
/// <c>filePath</c>, <c>command</c>, <c>url</c>, <c>query</c>, <c>pattern</c>, <c>description</c>, <c>name</c>.
/// </summary>
public static class ToolKeyInput
{
    private static readonly string[] Fallbacks = ["filePath", "command", "url", "query", "pattern", "description", "name"];

    /// <summary>
    /// Returns the key input of a <paramref name="tool"/> call with <paramref name="input"/>, sanitised to one terminal-safe
    /// line (not truncated); empty when the input is missing, not an object or has no such string.
    /// </summary>
    public static string Extract(string? tool, JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        string? field = tool switch
        {
            "read" or "edit" or "write" => "filePath",
            "bash" => "command",
            "glob" or "grep" => "pattern",
            "task" => "description",
            "skill" => "name",
            "webfetch" => "url",
            _ => null,
        };
        if (field is not null)
        {
            return TerminalText.SanitizeLine(NonEmpty(input, field));
        }

        foreach (string fallback in Fallbacks)
        {
            if (NonEmpty(input, fallback) is { } value)
            {
                return TerminalText.SanitizeLine(value);
            }
        }

        return string.Empty;
    }

    private static string? NonEmpty(JsonElement input, string name) =>
        input.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;
}
