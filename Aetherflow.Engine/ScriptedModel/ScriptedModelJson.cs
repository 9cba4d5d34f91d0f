using System.Text.Json.Serialization;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>Source-generated JSON for the scripted model's request log (<c>GET /_requests</c>); the serializer's defaults.</summary>
[JsonSerializable(typeof(IReadOnlyList<ScriptedModelRequest>))]
internal sealed partial class ScriptedModelJson : JsonSerializerContext;
