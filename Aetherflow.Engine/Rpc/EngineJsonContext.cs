using System.Text.Json;
using System.Text.Json.Serialization;
using Aetherflow.Engine.Api;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Source-generated JSON metadata for every type that crosses the engine's socket: each method's params and result,
/// each notification's params, and the types StreamJsonRpc itself serializes into replies. <see cref="EngineJson"/>'s
/// options resolve types through this context alone (no reflection fallback), so a type missing here fails in every
/// build, not only in the Native AOT one. The options that count are EngineJson's; these mirror them.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]

// Method params.
[JsonSerializable(typeof(HelloRequest))]
[JsonSerializable(typeof(SpawnParams))]
[JsonSerializable(typeof(SessionRequest))]
[JsonSerializable(typeof(AgentRequest))]
[JsonSerializable(typeof(SteerRequest))]
[JsonSerializable(typeof(SubscribeRequest))]
[JsonSerializable(typeof(UnsubscribeRequest))]
[JsonSerializable(typeof(EventsReadRequest))]
[JsonSerializable(typeof(PermissionAnswerRequest))]
[JsonSerializable(typeof(ShutdownRequest))]
[JsonSerializable(typeof(JsonElement))]

// Method results.
[JsonSerializable(typeof(EngineIdentity))]
[JsonSerializable(typeof(EngineSnapshot))]
[JsonSerializable(typeof(IReadOnlyList<QueuedTask>))]
[JsonSerializable(typeof(PoolModeResult))]
[JsonSerializable(typeof(AgentInfo))]
[JsonSerializable(typeof(IReadOnlyList<SessionInfo>))]
[JsonSerializable(typeof(SessionAttachInfo))]
[JsonSerializable(typeof(OkResult))]
[JsonSerializable(typeof(SubscribeResult))]
[JsonSerializable(typeof(AgentDetail))]
[JsonSerializable(typeof(EventPage))]
[JsonSerializable(typeof(PermissionRequestInfo))]
[JsonSerializable(typeof(ShutdownResult))]

// Notification params, and what EngineClient's notification handlers take apart (by parameter name).
[JsonSerializable(typeof(StatusChangedParams))]
[JsonSerializable(typeof(AgentEventsParams))]
[JsonSerializable(typeof(SubscriptionDroppedParams))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(IReadOnlyList<string>))]

// StreamJsonRpc's own types in user data: its error data (without it the first error reply fails to serialize and
// ends the connection) and the id in a `$/cancelRequest` (sent when a caller cancels a call; StreamJsonRpc adds the
// converter, the context must still know the type).
[JsonSerializable(typeof(CommonErrorData))]
[JsonSerializable(typeof(RequestId))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
