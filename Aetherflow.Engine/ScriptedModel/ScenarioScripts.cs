using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>
/// Reads custom scenarios for the scripted model from JSON:
/// <c>{"name":[{"type":"tool","name":"bash","args":{"command":"ls"}},{"type":"text","text":"done"}]}</c>.
/// Step types: <c>text</c> (<c>text</c>), <c>tool</c> (<c>name</c>, <c>args</c>), <c>tools</c> (<c>calls</c>: a list
/// of <c>{name, args}</c>, answered as parallel calls), <c>error</c> (<c>status</c>, <c>message</c>), <c>hang</c>
/// (<c>seconds</c>, <c>text</c>) and <c>garbage</c>.
/// </summary>
public static class ScenarioScripts
{
    /// <summary>Parses scripts from JSON text; <paramref name="source"/> names the text in error messages.</summary>
    /// <exception cref="FormatException">The JSON is not a valid script file; the message says where and why.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<ScriptStep>> Parse(string json, string source = "scripts")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not valid JSON ({ex.Message})", ex);
        }

        if (root is not JsonObject scripts)
        {
            throw new FormatException($"{source}: expected an object of scenario names to step lists, like {{\"name\":[{{\"type\":\"text\",\"text\":\"done\"}}]}}");
        }

        var result = new Dictionary<string, IReadOnlyList<ScriptStep>>(StringComparer.Ordinal);
        foreach ((string name, JsonNode? steps) in scripts)
        {
            if (!ChatRequest.IsScenarioName(name))
            {
                throw new FormatException($"{source}: scenario name '{name}' may use only letters, digits, '.', '_' and '-'");
            }

            if (steps is not JsonArray array || array.Count == 0)
            {
                throw new FormatException($"{source}: scenario '{name}' must be a non-empty list of steps");
            }

            result[name] = array.Select((step, index) => ParseStep(step, $"{source}: scenario '{name}' step {index + 1}")).ToList();
        }

        return result;
    }

    /// <summary>Reads and parses a script file.</summary>
    /// <exception cref="FormatException">The file is not a valid script file.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<ScriptStep>> LoadFile(string path) =>
        Parse(File.ReadAllText(path), path);

    private static ScriptStep ParseStep(JsonNode? node, string where)
    {
        if (node is not JsonObject step)
        {
            throw new FormatException($"{where}: expected an object with a \"type\"");
        }

        string type = String(step, "type", where) ?? throw new FormatException($"{where}: missing \"type\" (text, tool, tools, error, hang or garbage)");
        try
        {
            return type switch
            {
                "text" => ScriptStep.Reply(String(step, "text", where) ?? throw new FormatException($"{where}: a text step needs \"text\"")),
                "tool" => ScriptStep.Tool(ParseCall(step, where)),
                "tools" => ScriptStep.Tools(step["calls"] is JsonArray calls && calls.Count > 0
                    ? calls.Select((call, i) => ParseCall(call as JsonObject ?? throw new FormatException($"{where}: call {i + 1} must be an object"), $"{where} call {i + 1}")).ToList()
                    : throw new FormatException($"{where}: a tools step needs a non-empty \"calls\" list")),
                "error" => ScriptStep.Error(
                    Number(step, "status", where) is double status ? (int)status : Number(step, "code", where) is double code ? (int)code : ScriptStep.DefaultErrorStatus,
                    String(step, "message", where) ?? ScriptStep.DefaultErrorMessage),
                "hang" => ScriptStep.Hang(TimeSpan.FromSeconds(Number(step, "seconds", where) ?? 60), String(step, "text", where) ?? "Finished waiting."),
                "garbage" => ScriptStep.Garbage(),
                _ => throw new FormatException($"{where}: unknown step type '{type}' (use text, tool, tools, error, hang or garbage)"),
            };
        }
        catch (ArgumentException ex)
        {
            // Argument messages add "(Parameter 'x')" and "Actual value was …" lines; keep the sentence only.
            string reason = ex.Message.Split('\n')[0];
            int parameter = reason.IndexOf(" (Parameter '", StringComparison.Ordinal);
            throw new FormatException($"{where}: {(parameter < 0 ? reason : reason[..parameter])}", ex);
        }
    }

    private static ScriptedToolCall ParseCall(JsonObject call, string where)
    {
        string name = String(call, "name", where) ?? throw new FormatException($"{where}: a tool call needs \"name\"");
        JsonObject args = call["args"] switch
        {
            null => [],
            JsonObject given => given.DeepClone().AsObject(),
            _ => throw new FormatException($"{where}: \"args\" must be an object"),
        };
        return new ScriptedToolCall(name, args);
    }

    private static string? String(JsonObject node, string key, string where) => node[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? text) => text,
        _ => throw new FormatException($"{where}: \"{key}\" must be a string"),
    };

    private static double? Number(JsonObject node, string key, string where) => node[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out double number) => number,
        JsonValue value when value.TryGetValue(out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => throw new FormatException($"{where}: \"{key}\" must be a number"),
    };
}
