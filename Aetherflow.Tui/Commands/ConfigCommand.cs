using System.CommandLine;
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
                CommandOutput.Json(result, ToJson(config));
            }
            else
            {
                WriteTable(CommandOutput.Out(result), config);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static object ToJson(AetherflowConfig config) => new
    {
        ProjectDirectory = config.ProjectDirectory,
        ConfigFile = config.ConfigFile,
        Values = config.Entries.Select(e => new
        {
            Key = e.Key.Name,
            Value = e.Value is TimeSpan ? e.FormattedValue : e.Value,
            Source = e.Origin.Kind.ToString().ToLowerInvariant(),
            Location = e.Origin.Location,
            Environment = e.Key.EnvironmentVariable,
            Flag = e.Key.FlagName,
        }),
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
}
