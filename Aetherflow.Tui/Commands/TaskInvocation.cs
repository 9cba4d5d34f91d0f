using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Text;

namespace Aetherflow.Tui.Commands;

/// <summary>One run of an <c>aetherflow task</c> subcommand: its parse result, the project's store, and argument helpers.</summary>
internal sealed class TaskInvocation
{
    public TaskInvocation(ParseResult result, AetherflowConfig config, BuiltinTaskStore store)
    {
        Result = result;
        Config = config;
        Store = store;
    }

    public ParseResult Result { get; }

    public AetherflowConfig Config { get; }

    public BuiltinTaskStore Store { get; }

    public TextWriter Out => CommandOutput.Out(Result);

    public void Json<T>(T value, JsonTypeInfo<T> type) => CommandOutput.Json(Result, value, type);

    /// <summary>A task id argument; an option-looking token is reported as an unknown option, not a bad id.</summary>
    public string Id(Argument<string> argument)
    {
        string id = Result.GetValue(argument) ?? string.Empty;
        RejectOptionLike(id);
        return Identifiers.IsTaskId(id)
            ? id
            : throw new TaskUsageException($"'{TerminalText.SanitizeLine(id)}' is not a valid task id (like ts-1a2b3c); 'aetherflow task list' shows the ids");
    }

    /// <summary>
    /// Free text given as several words (<c>add Fix the bug</c>), joined with single spaces like prog does; words
    /// that look like options must come after <c>--</c>, so a mistyped flag never becomes part of a title.
    /// </summary>
    public string Text(Argument<string[]> argument)
    {
        string[] words = Result.GetValue(argument) ?? [];
        foreach (string word in words)
        {
            RejectOptionLike(word);
        }

        return string.Join(' ', words);
    }

    /// <summary>An integer flag within a range.</summary>
    public int? Integer(Option<string> option, int min, int max)
    {
        string? text = Result.GetValue(option);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new TaskUsageException($"{option.Name} must be a whole number from {min} to {max}, got '{TerminalText.SanitizeLine(text)}'");
    }

    /// <summary>A <c>--status</c> flag.</summary>
    public Engine.Tasks.TrackerTaskState? Status(Option<string> option)
    {
        string? text = Result.GetValue(option);
        if (text is null)
        {
            return null;
        }

        return TaskStatusNames.TryParse(text, out Engine.Tasks.TrackerTaskState state)
            ? state
            : throw new TaskUsageException($"invalid status '{TerminalText.SanitizeLine(text)}' (valid: {TaskStatusNames.ValidNames})");
    }

    private void RejectOptionLike(string token)
    {
        if (token.Length > 1 && token[0] == '-' && !Result.Tokens.Any(t => t.Type == TokenType.DoubleDash))
        {
            throw new TaskUsageException($"unknown option '{TerminalText.SanitizeLine(token)}' (text that starts with '-' goes after '--')");
        }
    }
}
