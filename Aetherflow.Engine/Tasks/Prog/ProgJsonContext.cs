using System.Text.Json.Serialization;

namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>Source-generated readers for prog's JSON (snake_case field names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<ProgReadyEntry?>))]
[JsonSerializable(typeof(List<ProgItem?>))]
[JsonSerializable(typeof(ProgItem))]
internal sealed partial class ProgJsonContext : JsonSerializerContext;
