using Aetherflow.Engine.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Aetherflow.Engine.Config;

/// <summary>
/// Builds the effective configuration: flags &gt; environment (<c>AETHERFLOW_*</c>) &gt; <c>.aetherflow.yaml</c> &gt;
/// defaults, decided per key, so an explicit <c>0</c> or <c>false</c> is kept. Every error is one line that names the
/// file, line and column (or the variable or flag) and what is wrong.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The config file name looked for in the project directory.</summary>
    public const string FileName = ".aetherflow.yaml";

    /// <summary>The environment variable that names a config file, like <c>--config</c>.</summary>
    public const string ConfigFileVariable = "AETHERFLOW_CONFIG";

    /// <summary>Loads and validates the configuration; throws <see cref="ConfigException"/> on the first problem.</summary>
    public static AetherflowConfig Load(ConfigLoadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string projectDirectory = Path.GetFullPath(request.ProjectDirectory);
        string? configFile = ResolveConfigFile(request, projectDirectory);

        var values = new Dictionary<string, ConfigEntry>();
        foreach (ConfigKey key in ConfigKeys.All)
        {
            values[key.Name] = new ConfigEntry(key, key.DefaultValue, ConfigOrigin.Default);
        }

        if (configFile is not null)
        {
            foreach (ConfigEntry entry in ReadFile(configFile, projectDirectory))
            {
                values[entry.Key.Name] = entry;
            }
        }

        foreach (ConfigKey key in ConfigKeys.All)
        {
            if (request.Environment.TryGetValue(key.EnvironmentVariable, out string? text))
            {
                values[key.Name] = Parse(key, text, new ConfigOrigin(ConfigSourceKind.Environment, key.EnvironmentVariable), $"environment variable {key.EnvironmentVariable}");
            }
        }

        foreach ((string name, string text) in request.Flags)
        {
            ConfigKey key = ConfigKeys.Find(name) ?? throw new ConfigException($"unknown configuration key '{name}'");
            values[key.Name] = Parse(key, text, new ConfigOrigin(ConfigSourceKind.Flag, key.FlagName), $"flag {key.FlagName}");
        }

        ApplyDerivedDefaults(values, projectDirectory);
        return new AetherflowConfig(projectDirectory, configFile, values.Values);
    }

    private static string? ResolveConfigFile(ConfigLoadRequest request, string projectDirectory)
    {
        string? explicitFile = request.ConfigFile;
        if (explicitFile is null && request.Environment.TryGetValue(ConfigFileVariable, out string? fromEnvironment) && fromEnvironment.Length > 0)
        {
            explicitFile = fromEnvironment;
        }

        if (explicitFile is not null)
        {
            string full = Path.GetFullPath(explicitFile);
            return File.Exists(full)
                ? full
                : throw new ConfigException($"config file not found: {explicitFile} (check the --config path or {ConfigFileVariable})");
        }

        string implicitFile = Path.Combine(projectDirectory, FileName);
        return File.Exists(implicitFile) ? implicitFile : null;
    }

    private static ConfigEntry Parse(ConfigKey key, string text, ConfigOrigin origin, string where)
    {
        object? value = key.TryParse(text, out string? error);
        return value is null ? throw new ConfigException($"{where}: {error}") : new ConfigEntry(key, value, origin);
    }

    private static List<ConfigEntry> ReadFile(string path, string projectDirectory)
    {
        string display = DisplayPath(path, projectDirectory);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{display}: cannot read the config file: {ex.Message}", ex);
        }

        try
        {
            return ReadMapping(new Parser(new StringReader(text)), display);
        }
        catch (YamlException ex)
        {
            string reason = (ex.InnerException?.Message ?? ex.Message).Split('\n')[0].Trim();
            throw new ConfigException($"{display}:{ex.Start.Line}:{ex.Start.Column}: invalid YAML: {reason}", ex);
        }
    }

    private static List<ConfigEntry> ReadMapping(IParser parser, string display)
    {
        var entries = new List<ConfigEntry>();
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _) || !parser.Accept<DocumentStart>(out _))
        {
            return entries;
        }

        parser.Consume<DocumentStart>();
        if (parser.TryConsume<Scalar>(out Scalar? emptyDocument))
        {
            return emptyDocument.Value.Length == 0 || emptyDocument.Value is "~" or "null"
                ? entries
                : throw Error(display, emptyDocument.Start, "the config file must be a mapping of keys to values, like 'pool_size: 3'");
        }

        if (!parser.TryConsume<MappingStart>(out _))
        {
            parser.Accept<ParsingEvent>(out ParsingEvent? unexpected);
            throw Error(display, unexpected?.Start ?? Mark.Empty, "the config file must be a mapping of keys to values, like 'pool_size: 3'");
        }

        var seen = new Dictionary<string, Mark>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out Scalar? keyScalar))
            {
                parser.Accept<ParsingEvent>(out ParsingEvent? bad);
                throw Error(display, bad?.Start ?? Mark.Empty, "keys must be plain names like 'pool_size'");
            }

            string name = keyScalar.Value;
            if (seen.TryGetValue(name, out Mark first))
            {
                throw Error(display, keyScalar.Start, $"duplicate key '{name}' (first set at line {first.Line})");
            }

            seen[name] = keyScalar.Start;
            ConfigKey key = ConfigKeys.Find(name) ?? throw UnknownKey(display, keyScalar);
            if (!parser.TryConsume<Scalar>(out Scalar? valueScalar))
            {
                parser.Accept<ParsingEvent>(out ParsingEvent? nested);
                throw Error(display, nested?.Start ?? keyScalar.End, $"{name} expects a single value, not a list or mapping");
            }

            if (valueScalar.Style == ScalarStyle.Plain && valueScalar.Value is "" or "~" or "null")
            {
                throw Error(display, valueScalar.Start, $"{name} has no value; give one or remove the line to use the default ({key.Format(key.DefaultValue)})");
            }

            object? value = key.TryParse(valueScalar.Value, out string? error);
            if (value is null)
            {
                throw Error(display, valueScalar.Start, error!);
            }

            entries.Add(new ConfigEntry(key, value, new ConfigOrigin(ConfigSourceKind.File, $"{display}:{valueScalar.Start.Line}:{valueScalar.Start.Column}")));
        }

        parser.Consume<DocumentEnd>();
        if (parser.Accept<DocumentStart>(out DocumentStart? second))
        {
            throw Error(display, second.Start, "the config file must hold a single YAML document");
        }

        return entries;
    }

    private static ConfigException UnknownKey(string display, Scalar keyScalar)
    {
        string? nearest = EditDistance.Nearest(keyScalar.Value, ConfigKeys.All.Select(k => k.Name));
        string hint = nearest is null ? "; run 'aetherflow config' to list the valid keys" : $"; did you mean '{nearest}'?";
        return Error(display, keyScalar.Start, $"unknown key '{keyScalar.Value}'{hint}");
    }

    private static ConfigException Error(string display, Mark mark, string message) =>
        new($"{display}:{mark.Line}:{mark.Column}: {message}");

    private static string DisplayPath(string path, string projectDirectory)
    {
        string relative = Path.GetRelativePath(projectDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private static void ApplyDerivedDefaults(Dictionary<string, ConfigEntry> values, string projectDirectory)
    {
        ConfigEntry project = values[ConfigKeys.Project.Name];
        if (project.Origin.Kind == ConfigSourceKind.Default)
        {
            string name = Identifiers.ToProjectName(Path.GetFileName(projectDirectory.TrimEnd(Path.DirectorySeparatorChar))) ?? "default";
            values[ConfigKeys.Project.Name] = project with { Value = name, Origin = new ConfigOrigin(ConfigSourceKind.Default, "directory name") };
        }

        ConfigEntry runtime = values[ConfigKeys.Runtime.Name];
        string spawnCmd = (string)values[ConfigKeys.SpawnCmd.Name].Value;
        if (runtime.Origin.Kind == ConfigSourceKind.Default && spawnCmd.Length > 0)
        {
            values[ConfigKeys.Runtime.Name] = runtime with { Value = "command", Origin = new ConfigOrigin(ConfigSourceKind.Default, "implied by spawn_cmd") };
        }
        else if ((string)runtime.Value == "command" && spawnCmd.Length == 0)
        {
            throw new ConfigException($"{Where(runtime.Origin)}: runtime is 'command' but spawn_cmd is empty; set spawn_cmd to the command that runs one agent");
        }
    }

    private static string Where(ConfigOrigin origin) => origin.Kind switch
    {
        ConfigSourceKind.File => origin.Location!,
        ConfigSourceKind.Environment => $"environment variable {origin.Location}",
        ConfigSourceKind.Flag => $"flag {origin.Location}",
        _ => "default",
    };
}
