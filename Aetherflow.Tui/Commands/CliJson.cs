using System.Text.Json.Serialization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Source-generated JSON for everything the commands print with <c>--json</c>: the engine's shape
/// (<see cref="EngineJson"/>: snake_case names and enum values, nulls left out) for the wire types they show and the
/// commands' own records. Each call site names the type it prints (<c>CliJson.Indented.AgentInfo</c>), so a type
/// missing here is a compile error, in the JIT build as in the Native AOT one. The context is only used through
/// <see cref="Compact"/> and <see cref="Indented"/>, which bind it to EngineJson's options; it has no options of its own.
/// </summary>
[JsonSerializable(typeof(EngineSnapshot))]
[JsonSerializable(typeof(AgentDetail))]
[JsonSerializable(typeof(AgentInfo))]
[JsonSerializable(typeof(EventLine))]
[JsonSerializable(typeof(IReadOnlyList<SessionInfo>))]
[JsonSerializable(typeof(PoolModeResult))]
[JsonSerializable(typeof(ShutdownResult))]
[JsonSerializable(typeof(AgentCommandResult))]
[JsonSerializable(typeof(EventPrinter.RawEvent))]
[JsonSerializable(typeof(ConfigCommand.ConfigReport))]
[JsonSerializable(typeof(InstallCommand.InstallReport))]
[JsonSerializable(typeof(TaskJson.TaskEntry))]
[JsonSerializable(typeof(List<TaskJson.TaskEntry>))]
[JsonSerializable(typeof(List<TaskJson.LearningEntry>))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>One document per line: <c>status --json</c> (a stream with <c>-w</c>) and <c>logs --json</c>.</summary>
    public static CliJson Compact { get; } = new(EngineJson.CreateOptions());

    /// <summary>Indented, for a person reading one result.</summary>
    public static CliJson Indented { get; } = new(EngineJson.CreateOptions(indented: true));
}
