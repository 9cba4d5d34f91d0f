using System.Text.Json.Nodes;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>A tool call the scripted model asks the client to make.</summary>
public sealed class ScriptedToolCall
{
    /// <param name="name">The tool name as the client offers it (opencode: <c>bash</c>, <c>read</c>, <c>write</c>, …).</param>
    /// <param name="arguments">The tool arguments, a JSON object.</param>
    public ScriptedToolCall(string name, JsonObject arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(arguments);
        Name = name;
        ArgumentsJson = arguments.ToJsonString();
    }

    /// <summary>
    /// This call with <c>{{work_id}}</c> replaced by <paramref name="workId"/> (a validated id, so no JSON escaping is
    /// needed); unchanged when there is no work id.
    /// </summary>
    public ScriptedToolCall ForWork(string? workId) =>
        workId is null || !ArgumentsJson.Contains(WorkIdPlaceholder, StringComparison.Ordinal)
            ? this
            : new ScriptedToolCall(Name, JsonNode.Parse(ArgumentsJson.Replace(WorkIdPlaceholder, workId, StringComparison.Ordinal))!.AsObject());

    /// <summary>The placeholder custom scripts use for the agent's work id.</summary>
    public const string WorkIdPlaceholder = "{{work_id}}";

    /// <summary>The tool name.</summary>
    public string Name { get; }

    /// <summary>The arguments as the JSON text OpenAI-compatible clients expect in <c>function.arguments</c>.</summary>
    public string ArgumentsJson { get; }

    /// <summary>The arguments parsed again (a fresh copy each call).</summary>
    public JsonObject Arguments => JsonNode.Parse(ArgumentsJson)!.AsObject();
}
