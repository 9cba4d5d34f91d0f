using System.Globalization;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Config;

/// <summary>
/// One configuration key: its name (as written in YAML), type, default, and the rule a value must satisfy.
/// The same descriptor yields the environment variable and the command-line flag, so the three stay in step.
/// </summary>
public sealed class ConfigKey
{
    private readonly Func<object, string?>? validate;

    internal ConfigKey(
        string name,
        ConfigValueKind kind,
        object defaultValue,
        string description,
        IReadOnlyList<string>? choices = null,
        Func<object, string?>? validate = null)
    {
        Name = name;
        Kind = kind;
        DefaultValue = defaultValue;
        Description = description;
        Choices = choices ?? [];
        this.validate = validate;
    }

    /// <summary>The key as written in <c>.aetherflow.yaml</c>, e.g. <c>poll_interval</c>.</summary>
    public string Name { get; }

    /// <summary>The value's type.</summary>
    public ConfigValueKind Kind { get; }

    /// <summary>The built-in default (a string, int, bool or <see cref="TimeSpan"/>).</summary>
    public object DefaultValue { get; }

    /// <summary>One line that says what the key controls.</summary>
    public string Description { get; }

    /// <summary>The allowed words for a <see cref="ConfigValueKind.Choice"/> key.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>The environment variable that sets this key, e.g. <c>AETHERFLOW_POLL_INTERVAL</c>.</summary>
    public string EnvironmentVariable => "AETHERFLOW_" + Name.ToUpperInvariant();

    /// <summary>The command-line flag that sets this key, e.g. <c>--poll-interval</c>.</summary>
    public string FlagName => "--" + Name.Replace('_', '-');

    /// <summary>Formats a value of this key the way it would be written in the file.</summary>
    public string Format(object value) => value switch
    {
        TimeSpan duration => DurationText.Format(duration),
        bool flag => flag ? "true" : "false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// Parses text into this key's type and checks its rule. Returns the value, or null with <paramref name="error"/>
    /// set to a message that completes the sentence "&lt;where&gt;: …".
    /// </summary>
    public object? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        object? value = Kind switch
        {
            ConfigValueKind.Integer => ParseInteger(text, out error),
            ConfigValueKind.Boolean => ParseBoolean(text, out error),
            ConfigValueKind.Duration => ParseDuration(text, out error),
            ConfigValueKind.Choice => ParseChoice(text, out error),
            _ => ParseText(text, out error),
        };
        if (value is not null && validate?.Invoke(value) is { } rule)
        {
            error = $"{Name} {rule}";
            return null;
        }

        return value;
    }

    private object? ParseInteger(string text, out string? error)
    {
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
        {
            error = null;
            return number;
        }

        error = $"{Name} expects a whole number, got '{text}'";
        return null;
    }

    private object? ParseBoolean(string text, out string? error)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true":
                error = null;
                return true;
            case "false":
                error = null;
                return false;
            default:
                error = $"{Name} expects true or false, got '{text}'";
                return null;
        }
    }

    private object? ParseDuration(string text, out string? error)
    {
        if (DurationText.TryParse(text, out TimeSpan duration))
        {
            error = null;
            return duration;
        }

        error = $"{Name} has an invalid duration '{text}' ({DurationText.Expected})";
        return null;
    }

    private object? ParseChoice(string text, out string? error)
    {
        string word = text.Trim();
        foreach (string choice in Choices)
        {
            if (string.Equals(choice, word, StringComparison.OrdinalIgnoreCase))
            {
                error = null;
                return choice;
            }
        }

        string? nearest = EditDistance.Nearest(word, Choices);
        string hint = nearest is null ? string.Empty : $"; did you mean '{nearest}'?";
        error = $"{Name} must be one of {string.Join(", ", Choices)}, got '{text}'{hint}";
        return null;
    }

    private static string ParseText(string text, out string? error)
    {
        error = null;
        return text.Trim();
    }
}
