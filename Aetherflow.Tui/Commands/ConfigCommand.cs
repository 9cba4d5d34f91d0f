using System.CommandLine;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Config;

namespace Aetherflow.Tui.Commands;

/// <summary><c>aetherflow config</c>: the effective configuration and where each value came from.</summary>
internal static class ConfigCommand
{
    public static Command Create(ConfigResolver resolver, ConfigFlags flags)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var command = new Command("config", "Show the effective configuration and where each value came from") { json };
        flags.AddTo(command);
        command.SetAction(result =>
        {
            AetherflowConfig config;
            try
            {
                config = resolver.Load(result);
            }
            catch (ConfigException ex)
            {
                return CommandOutput.Fail(result, ex.Message, ExitCodes.ConfigError);
            }

            if (result.GetValue(json))
            {
                CommandOutput.Json(result, ToJson(config), CliJson.Indented.ConfigReport);
            }
            else
            {
                WriteTable(CommandOutput.Out(result), config);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static ConfigReport ToJson(AetherflowConfig config) => new(
        config.ProjectDirectory,
        config.ConfigFile,
        [.. config.Entries.Select(e => new ConfigReportValue(
            e.Key.Name,
            ValueOf(e),
            e.Origin.Kind.ToString().ToLowerInvariant(),
            e.Origin.Location,
            e.Key.EnvironmentVariable,
            e.Key.FlagName))]);

    // Numbers and booleans as JSON numbers and booleans; text, choices and durations (as written in the file) as strings.
    private static JsonNode ValueOf(ConfigEntry entry) => entry.Value switch
    {
        int number => JsonValue.Create(number),
        bool flag => JsonValue.Create(flag),
        _ => JsonValue.Create(entry.FormattedValue),
    };

    private static void WriteTable(TextWriter output, AetherflowConfig config)
    {
        output.WriteLine($"project directory: {config.ProjectDirectory}");
        output.WriteLine($"config file:       {config.ConfigFile ?? $"none ({ConfigLoader.FileName} not found; built-in defaults)"}");
        output.WriteLine();
        int keyWidth = config.Entries.Max(e => e.Key.Name.Length) + 2;
        int valueWidth = Math.Min(40, Math.Max(7, config.Entries.Max(e => Shown(e).Length)) + 2);
        output.WriteLine($"{"KEY".PadRight(keyWidth)}{"VALUE".PadRight(valueWidth)}SOURCE");
        foreach (ConfigEntry entry in config.Entries)
        {
            output.WriteLine($"{entry.Key.Name.PadRight(keyWidth)}{Shown(entry).PadRight(valueWidth)}{entry.Origin}");
        }
    }

    private static string Shown(ConfigEntry entry) => entry.FormattedValue.Length == 0 ? "(none)" : entry.FormattedValue;

    /// <summary><c>config --json</c>: where the project is, which file was read, and every key's value and origin.</summary>
    internal sealed record ConfigReport(string ProjectDirectory, string? ConfigFile, IReadOnlyList<ConfigReportValue> Values);

    /// <summary>One key of <see cref="ConfigReport"/>.</summary>
    internal sealed record ConfigReportValue(string Key, JsonNode Value, string Source, string? Location, string Environment, string Flag);
}
