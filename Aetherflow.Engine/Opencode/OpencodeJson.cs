using System.Text.Json;

namespace Aetherflow.Engine.Opencode;

/// <summary>Tolerant readers for opencode's JSON: absent or mistyped optional fields read as null.</summary>
internal static class OpencodeJson
{
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static string RequiredString(JsonElement element, string name, string what) =>
        String(element, name) ?? throw new JsonException($"{what} has no \"{name}\"");

    public static long? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number
            ? (long)value.GetDouble()
            : null;

    public static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static DateTimeOffset? UnixMilliseconds(long? value) => value is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static IReadOnlyList<string> Strings(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    public static OpencodePermissionAction? Action(string? text) => text switch
    {
        "allow" => OpencodePermissionAction.Allow,
        "ask" => OpencodePermissionAction.Ask,
        "deny" => OpencodePermissionAction.Deny,
        _ => null,
    };

    public static string ActionName(OpencodePermissionAction action) => action switch
    {
        OpencodePermissionAction.Allow => "allow",
        OpencodePermissionAction.Ask => "ask",
        OpencodePermissionAction.Deny => "deny",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown permission action"),
    };
}
