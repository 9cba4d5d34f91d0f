using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>
/// What the scripted model reads from a chat-completions request: streaming or not, and which scenario step to answer.
/// Selection is stateless — it depends only on the conversation — so concurrent sessions never interfere.
/// </summary>
internal sealed partial class ChatRequest
{
    private const string TitleGeneratorMarker = "You are a title generator";

    private ChatRequest()
    {
    }

    public bool Stream { get; private init; }

    public string Model { get; private init; } = ScriptedModelServer.ModelId;

    /// <summary>True for opencode's side request that asks for a session title; it does not use a scenario step.</summary>
    public bool IsTitleRequest { get; private init; }

    public string ScenarioName { get; private init; } = BuiltInScenarios.DefaultScenario;

    public string? ScenarioArgument { get; private init; }

    /// <summary>The text after <c>CMD:</c> on a line of the selected user message.</summary>
    public string? Command { get; private init; }

    /// <summary>
    /// The agent's work id from the <c>Task: &lt;id&gt;</c> or <c>Spawn: &lt;id&gt;</c> line of its prompt, which custom
    /// scripts can use as <c>{{work_id}}</c> (so a scripted agent can move its own task on).
    /// </summary>
    public string? WorkId { get; private init; }

    /// <summary>The text of the last user message.</summary>
    public string? LastUserText { get; private init; }

    /// <summary>The number of assistant messages after the user message that selected the scenario.</summary>
    public int StepIndex { get; private init; }

    /// <summary>Which user message selected the scenario (its index in <c>messages</c>), or -1 when there is none.</summary>
    public int SelectedMessageIndex { get; private init; } = -1;

    public static bool IsScenarioName(string name) => ScenarioNamePattern().IsMatch(name);

    /// <summary>Reads a chat-completions request body.</summary>
    /// <param name="body">The JSON body.</param>
    /// <param name="workScenarios">
    /// Scenarios by work id, for conversations without a <c>SCENARIO:</c> token: the agent whose prompt names one of these
    /// work ids (its <c>Task:</c> or <c>Spawn:</c> line) gets that scenario, with steps counted from its prompt — so
    /// later user messages (a steer, a resume) continue the script instead of restarting it.
    /// </param>
    /// <exception cref="FormatException">The body is not a chat-completions request.</exception>
    public static ChatRequest Parse(byte[] body, IReadOnlyDictionary<string, string>? workScenarios = null)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("the request body must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the request body is not valid JSON: {ex.Message}", ex);
        }

        if (root["messages"] is not JsonArray messages)
        {
            throw new FormatException("the request has no \"messages\" list");
        }

        var roles = new List<string>();
        var texts = new List<string>();
        foreach (JsonNode? message in messages)
        {
            roles.Add(message?["role"] is JsonValue role && role.TryGetValue(out string? r) ? r : string.Empty);
            texts.Add(TextOf(message?["content"]));
        }

        bool stream = root["stream"] is JsonValue s && s.TryGetValue(out bool b) && b;
        string model = root["model"] is JsonValue m && m.TryGetValue(out string? name) ? name : ScriptedModelServer.ModelId;
        bool title = Enumerable.Range(0, roles.Count).Any(i => roles[i] == "system" && texts[i].Contains(TitleGeneratorMarker, StringComparison.Ordinal));

        int lastUser = roles.LastIndexOf("user");
        int selected = lastUser;
        Match token = Match.Empty;
        for (int i = lastUser; i >= 0; i--)
        {
            if (roles[i] == "user" && ScenarioToken().Match(texts[i]) is { Success: true } found)
            {
                selected = i;
                token = found;
                break;
            }
        }

        (int workMessage, string? workId) = Enumerable.Range(0, roles.Count).Where(i => roles[i] == "user")
            .Select(i => (Index: i, Match: WorkLine().Match(texts[i])))
            .Where(found => found.Match.Success)
            .Select(found => (found.Index, (string?)found.Match.Groups["id"].Value))
            .FirstOrDefault((-1, null));
        string scenario = token.Success ? token.Groups["name"].Value : BuiltInScenarios.DefaultScenario;
        if (!token.Success && workId is not null && workScenarios is not null && workScenarios.TryGetValue(workId, out string? assigned))
        {
            scenario = assigned;
            selected = workMessage;
        }

        Match command = selected >= 0 ? CommandLine().Match(texts[selected]) : Match.Empty;
        return new ChatRequest
        {
            Stream = stream,
            Model = model,
            IsTitleRequest = title,
            ScenarioName = scenario,
            ScenarioArgument = token.Success && token.Groups["arg"].Success ? token.Groups["arg"].Value : null,
            Command = command.Success ? command.Groups["cmd"].Value.Trim() : null,
            WorkId = workId,
            LastUserText = lastUser >= 0 ? texts[lastUser] : null,
            SelectedMessageIndex = selected,
            StepIndex = roles.Skip(selected + 1).Count(role => role == "assistant"),
        };
    }

    private static string TextOf(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text,
        JsonArray parts => string.Join("\n", parts.Select(part => part?["text"] is JsonValue t && t.TryGetValue(out string? text) ? text : string.Empty)),
        _ => string.Empty,
    };

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ScenarioNamePattern();

    [GeneratedRegex("SCENARIO:(?<name>[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)(?::(?<arg>[^\\s\"']+))?", RegexOptions.CultureInvariant)]
    private static partial Regex ScenarioToken();

    [GeneratedRegex("^[ \\t]*CMD:(?<cmd>.+)$", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [GeneratedRegex("^[ \\t]*(?:Task|Spawn):[ \\t]*(?<id>[A-Za-z0-9][A-Za-z0-9._-]*)[ \\t]*$", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex WorkLine();
}
