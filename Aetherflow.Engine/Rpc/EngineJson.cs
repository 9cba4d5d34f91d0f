using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aetherflow.Engine.Rpc;

/// <summary>The one JSON shape used on the socket and by every <c>--json</c> output: snake_case names and enum values.</summary>
public static class EngineJson
{
    /// <summary>Creates the serializer options (a new instance each call, because StreamJsonRpc mutates its own).</summary>
    public static JsonSerializerOptions CreateOptions(bool indented = false) => new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>Shared read-only options for serializing results outside StreamJsonRpc.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Shared options that indent, for human-facing <c>--json</c> output.</summary>
    public static JsonSerializerOptions IndentedOptions { get; } = CreateOptions(indented: true);
}
