using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Aetherflow.Engine.Tests.Rpc;

/// <summary>
/// The wire's JSON metadata is source-generated (EngineJsonContext) with no reflection fallback, so the Native AOT build
/// serializes exactly what these tests see; they check what the generator cannot: that every type the RPC methods use
/// is listed, that enums stay snake_case strings, and that left-out params keep their defaults.
/// </summary>
public sealed class EngineJsonTests
{
    private static IEnumerable<MethodInfo> RpcMethods() =>
        typeof(EngineRpcTarget).GetMethods().Where(m => m.GetCustomAttribute<JsonRpcMethodAttribute>() is not null);

    private static IEnumerable<Type> ParamsRecords() =>
        RpcMethods()
            .Where(m => m.GetCustomAttribute<JsonRpcMethodAttribute>()!.UseSingleObjectParameterDeserialization)
            .Select(m => m.GetParameters()[0].ParameterType)
            .Where(t => t != typeof(JsonElement))
            .Distinct();

    private static IEnumerable<Type> WireEnums() =>
        typeof(EngineJsonContext).GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>))
            .Select(p => p.PropertyType.GetGenericArguments()[0])
            .Select(t => Nullable.GetUnderlyingType(t) ?? t)
            .Where(t => t.IsEnum)
            .Distinct();

    [Test]
    public void Every_params_and_result_type_of_the_rpc_methods_has_metadata()
    {
        Type[] used = [.. RpcMethods().SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .Select(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Task<>) ? t.GetGenericArguments()[0] : t)
            .Where(t => t != typeof(CancellationToken) && t != typeof(Task) && t != typeof(void))
            .Distinct()];

        Assert.That(used, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (Type type in used)
            {
                Assert.That(() => EngineJson.Options.GetTypeInfo(type), Throws.Nothing, $"{type.Name} must be listed in EngineJsonContext");
            }
        });
    }

    [TestCase(typeof(CommonErrorData), Description = "the data of an error reply")]
    [TestCase(typeof(RequestId), Description = "the id in a $/cancelRequest, sent when a caller cancels a call")]
    public void StreamJsonRpcs_own_types_in_user_data_have_metadata(Type type) =>
        Assert.That(() => EngineJson.Options.GetTypeInfo(type), Throws.Nothing);

    [Test]
    public void Every_enum_on_the_wire_is_written_as_its_snake_case_name()
    {
        Type[] enums = [.. WireEnums()];

        Assert.That(enums, Does.Contain(typeof(AgentActivity)).And.Contain(typeof(PoolMode)));
        Assert.Multiple(() =>
        {
            foreach (Type type in enums)
            {
                foreach (object value in Enum.GetValues(type))
                {
                    string expected = JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()!);
                    Assert.That(JsonSerializer.Serialize(value, EngineJson.Options.GetTypeInfo(type)), Is.EqualTo($"\"{expected}\""), $"{type.Name}.{value}");
                }
            }
        });
    }

    [Test]
    public void Params_left_out_of_a_request_keep_their_defaults()
    {
        Type[] records = [.. ParamsRecords()];

        Assert.That(records, Does.Contain(typeof(SpawnParams)).And.Contain(typeof(EventsReadRequest)));
        Assert.Multiple(() =>
        {
            foreach (Type type in records)
            {
                JsonTypeInfo info = EngineJson.Options.GetTypeInfo(type);
                object? fromEmpty = JsonSerializer.Deserialize("{}", info);
                string defaults = JsonSerializer.Serialize(Activator.CreateInstance(type), info);
                Assert.That(JsonSerializer.Serialize(fromEmpty, info), Is.EqualTo(defaults), $"{type.Name} from {{}}");
            }
        });
    }

    [Test]
    public void Agent_events_carry_the_lines_only_for_a_subscriber_that_asked_for_them()
    {
        var sequenceOnly = new AgentEventsParams { Agent = "ghost_wolf", SessionId = "ses_1", LastSequence = 7 };
        var withLines = sequenceOnly with { Events = [], FellBehind = false };
        var type = (JsonTypeInfo<AgentEventsParams>)EngineJson.Options.GetTypeInfo(typeof(AgentEventsParams));

        Assert.That(JsonSerializer.Serialize(sequenceOnly, type), Is.EqualTo("""{"agent":"ghost_wolf","session_id":"ses_1","last_sequence":7}"""));
        Assert.That(JsonSerializer.Serialize(withLines, type), Is.EqualTo("""{"agent":"ghost_wolf","session_id":"ses_1","last_sequence":7,"events":[],"fell_behind":false}"""));
    }
}
