using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// The one JSON shape used on the socket and by every <c>--json</c> output: snake_case names and enum values, nulls
/// left out. Types are resolved through source-generated metadata only (<see cref="EngineJsonContext"/>), never by
/// reflection, so the same code runs in the Native AOT build.
/// </summary>
public static class EngineJson
{
    /// <summary>Shared read-only options for serializing results outside StreamJsonRpc.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Shared options that indent, for human-facing <c>--json</c> output.</summary>
    public static JsonSerializerOptions IndentedOptions { get; } = CreateOptions(indented: true);

    /// <summary>
    /// Creates the serializer options for the wire types: a new instance each call, because StreamJsonRpc mutates its
    /// own, and a source-generated context of a program's own output types can take them over (its constructor makes
    /// itself their resolver).
    /// </summary>
    public static JsonSerializerOptions CreateOptions(bool indented = false) => new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
        TypeInfoResolver = EngineJsonContext.Default,

        // One generic converter per enum that reaches the wire: the non-generic factory makes them by reflection.
        // EngineJsonTests checks that every enum in the metadata is written as a string.
        Converters =
        {
            SnakeCase<AgentActivity>(),
            SnakeCase<AgentOrigin>(),
            SnakeCase<PoolMode>(),
            SnakeCase<SpawnPolicy>(),
        },
    };

    /// <summary>The JSON-RPC formatter for the engine's socket, on new <see cref="CreateOptions(bool)"/>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = SourceGeneratedOnly)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = SourceGeneratedOnly)]
    internal static SystemTextJsonFormatter CreateFormatter() => new() { JsonSerializerOptions = CreateOptions() };

    // StreamJsonRpc annotates the whole formatter because its default options resolve types by reflection. Ours
    // resolve every type through EngineJsonContext and have no reflection fallback (a missing type throws in the JIT
    // build's tests as well), and the engine uses none of the formatter's dynamic features (IProgress<T>,
    // IAsyncEnumerable<T>, marshaled objects, exceptions as data). The Native AOT end-to-end test
    // (Aetherflow.Tui.Tests, NativeAotBinaryTests) exercises it in the published binary.
    private const string SourceGeneratedOnly =
        "Every type the formatter serializes is resolved through the source-generated EngineJsonContext; no dynamic formatter feature is used";

    private static JsonStringEnumConverter<TEnum> SnakeCase<TEnum>()
        where TEnum : struct, Enum => new(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);
}
