using System.CommandLine;
using Aetherflow.Engine.Config;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// One command-line flag per configuration key, generated from <see cref="ConfigKeys"/> so flags, environment
/// variables and file keys can never drift apart. Values are parsed by the config loader, with its error messages.
/// </summary>
internal sealed class ConfigFlags
{
    private readonly Dictionary<ConfigKey, Option<string>> options = new();

    public ConfigFlags(Option<string> projectOption)
    {
        options[ConfigKeys.Project] = projectOption;
        foreach (ConfigKey key in ConfigKeys.All.Where(k => k != ConfigKeys.Project))
        {
            var option = new Option<string>(key.FlagName)
            {
                Description = key.Description,
                HelpName = key.Kind switch
                {
                    ConfigValueKind.Duration => "duration",
                    ConfigValueKind.Integer => "n",
                    ConfigValueKind.Boolean => "true|false",
                    ConfigValueKind.Choice => string.Join('|', key.Choices),
                    _ => "text",
                },
            };
            if (key.Kind == ConfigValueKind.Boolean)
            {
                option.Arity = ArgumentArity.ZeroOrOne;
            }

            options[key] = option;
        }
    }

    /// <summary>Adds every key flag except <c>--project</c> (a global option) to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach ((ConfigKey key, Option<string> option) in options)
        {
            if (key != ConfigKeys.Project)
            {
                command.Options.Add(option);
            }
        }
    }

    /// <summary>The flags given on the command line, by key name; a bare boolean flag means true.</summary>
    public Dictionary<string, string> Collect(ParseResult result)
    {
        var values = new Dictionary<string, string>();
        foreach ((ConfigKey key, Option<string> option) in options)
        {
            if (result.GetResult(option) is { Implicit: false } optionResult)
            {
                string? value = result.GetValue(option);
                values[key.Name] = string.IsNullOrEmpty(value) && key.Kind == ConfigValueKind.Boolean && optionResult.Tokens.Count == 0 ? "true" : value ?? string.Empty;
            }
        }

        return values;
    }
}
