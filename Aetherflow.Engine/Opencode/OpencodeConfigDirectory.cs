using System.Text.Json.Nodes;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// Prepares an opencode config directory for offline use. opencode installs <c>@opencode-ai/plugin</c> with npm into
/// every writable config directory it loads, and when a plugin is configured an instance waits for that install (13 s
/// measured, or longer without network). An empty <c>node_modules/</c> plus a <c>package.json</c> and
/// <c>package-lock.json</c> naming the version satisfy its "dependencies present" check, so nothing is fetched.
/// </summary>
public static class OpencodeConfigDirectory
{
    /// <summary>The opencode version Aetherflow is tested against.</summary>
    public const string TestedVersion = "1.18.33";

    /// <summary>
    /// opencode's global config dir for an environment: <c>$XDG_CONFIG_HOME/opencode</c> when that variable holds an
    /// absolute path, else <c>$HOME/.config/opencode</c>; null when neither is set.
    /// </summary>
    public static string? GlobalPath(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.TryGetValue("XDG_CONFIG_HOME", out string? configHome) && configHome.Length > 0 && Path.IsPathRooted(configHome))
        {
            return Path.Combine(configHome, "opencode");
        }

        return environment.TryGetValue("HOME", out string? home) && home.Length > 0 ? Path.Combine(home, ".config", "opencode") : null;
    }

    /// <summary>The npm state, relative to a config dir: the <c>node_modules/</c> folder and the two package files.</summary>
    public static IReadOnlyList<string> SeedPaths { get; } = ["node_modules/", "package.json", "package-lock.json"];

    /// <summary>
    /// Writes the npm state into <paramref name="directory"/> (created if missing); each file and the
    /// <c>node_modules/</c> folder only when absent, so a real install is never overwritten.
    /// </summary>
    /// <param name="directory">A config directory: <c>$XDG_CONFIG_HOME/opencode</c>, a project's <c>.opencode/</c>, or <c>OPENCODE_CONFIG_DIR</c>.</param>
    /// <param name="version">The plugin version to declare; it should match the opencode version.</param>
    public static void SeedPluginDependencies(string directory, string version = TestedVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(Path.Combine(directory, "node_modules"));
        var dependencies = new JsonObject { ["@opencode-ai/plugin"] = version };
        WriteIfAbsent(Path.Combine(directory, "package.json"), new JsonObject { ["dependencies"] = dependencies.DeepClone() });
        WriteIfAbsent(Path.Combine(directory, "package-lock.json"), new JsonObject
        {
            ["lockfileVersion"] = 3,
            ["packages"] = new JsonObject { [string.Empty] = new JsonObject { ["dependencies"] = dependencies.DeepClone() } },
        });
    }

    private static void WriteIfAbsent(string path, JsonObject content)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream);
            writer.Write(content.ToJsonString());
        }
        catch (IOException) when (File.Exists(path))
        {
            // Already there (maybe written by opencode itself): keep it.
        }
    }
}
