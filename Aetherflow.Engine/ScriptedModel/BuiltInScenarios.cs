using System.Globalization;
using System.Text.Json.Nodes;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>
/// The scenarios the scripted model knows without a script file, selected by <c>SCENARIO:&lt;name&gt;[:&lt;arg&gt;]</c>
/// in a user message. Tool names and arguments match the tools opencode 1.18 offers its build agent.
/// </summary>
internal static class BuiltInScenarios
{
    public const string DefaultScenario = "text";
    public const string DefaultBashCommand = "echo hello > out.txt";
    public const string DefaultFilePath = "scripted.txt";
    public const string FileContent = "written by the scripted model\n";
    public const string MissingFilePath = "does-not-exist.txt";
    public const string TextAnswer = "Hello from the scripted model. This is a canned demo answer, not a real LLM.";

    /// <summary>The names, for error messages and documentation.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "text", "bash", "write-file", "read-file", "multi", "parallel", "tool-error", "bad-tool",
        "slow", "slow-tool", "fail", "fail-once", "hang", "garbage",
    ];

    /// <summary>The built-in scenario <paramref name="name"/>, or null when there is none by that name.</summary>
    /// <param name="name">The scenario name.</param>
    /// <param name="argument">The optional argument after the second colon (a path, seconds, or an HTTP status).</param>
    /// <param name="command">A <c>CMD:</c> line from the prompt, which replaces the bash scenario's command.</param>
    public static ScenarioScript? Resolve(string name, string? argument, string? command) => name switch
    {
        "text" => new(name, [ScriptStep.Reply(TextAnswer)]),
        "bash" => Bash(name, command ?? DefaultBashCommand),
        "write-file" => new(name, [Write(argument ?? DefaultFilePath), ScriptStep.Reply($"Wrote {argument ?? DefaultFilePath}.")]),
        "read-file" => new(name, [Read(argument ?? DefaultFilePath), ScriptStep.Reply($"Read {argument ?? DefaultFilePath}.")]),
        "multi" => new(name,
        [
            BashStep(DefaultBashCommand),
            Write(DefaultFilePath),
            Read(DefaultFilePath),
            ScriptStep.Reply("Done: ran bash, wrote and read a file."),
        ]),
        "parallel" => new(name,
        [
            ScriptStep.Tools([BashCall("echo one > one.txt"), BashCall("echo two > two.txt")]),
            ScriptStep.Reply("Done: ran two commands in parallel."),
        ]),
        "tool-error" => new(name, [Read(MissingFilePath), ScriptStep.Reply("The file does not exist.")]),
        "bad-tool" => new(name,
        [
            ScriptStep.Tool(new ScriptedToolCall("no_such_tool", new JsonObject { ["value"] = 1 })),
            ScriptStep.Reply("That tool does not exist."),
        ]),
        "slow" => new(name, [ScriptStep.Reply("One. Two. Three. Four. Five.", Seconds(argument, 1))]),
        "slow-tool" => Bash(name, "sleep " + Seconds(argument, 5).TotalSeconds.ToString(CultureInfo.InvariantCulture)),
        "fail" => new(name, [ScriptStep.Error(Status(argument))]),
        "fail-once" => new(name, [ScriptStep.Reply("Answered after one failure.")], FailOnceStatus: Status(argument)),
        "hang" => new(name, [ScriptStep.Hang(Seconds(argument, 60), "Finished hanging.")]),
        "garbage" => new(name, [ScriptStep.Garbage()]),
        _ => null,
    };

    private static ScenarioScript Bash(string name, string command) =>
        new(name, [BashStep(command), ScriptStep.Reply($"Done: ran `{command}`.")]);

    private static ScriptStep BashStep(string command) => ScriptStep.Tool(BashCall(command));

    private static ScriptedToolCall BashCall(string command) => new("bash", new JsonObject { ["command"] = command });

    private static ScriptStep Write(string path) =>
        ScriptStep.Tool(new ScriptedToolCall("write", new JsonObject { ["filePath"] = path, ["content"] = FileContent }));

    private static ScriptStep Read(string path) => ScriptStep.Tool(new ScriptedToolCall("read", new JsonObject { ["filePath"] = path }));

    private static TimeSpan Seconds(string? argument, double fallback) =>
        TimeSpan.FromSeconds(double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 ? seconds : fallback);

    private static int Status(string? argument) =>
        int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int status) && status is >= 400 and <= 599
            ? status
            : ScriptStep.DefaultErrorStatus;
}
