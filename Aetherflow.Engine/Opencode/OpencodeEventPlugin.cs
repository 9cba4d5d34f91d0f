namespace Aetherflow.Engine.Opencode;

/// <summary>
/// The aetherflow-events opencode plugin (<c>assets/plugins/aetherflow-events.ts</c>): where it is installed and the
/// variables that switch it on. The plugin runs inside <c>opencode serve</c>, is inert unless the server's environment
/// has <see cref="SocketVariable"/>, and then forwards every event to that engine socket as <c>session.event</c>
/// notifications (see docs/opencode.md, "The event plugin").
/// </summary>
public static class OpencodeEventPlugin
{
    /// <summary>The plugin's file name.</summary>
    public const string FileName = "aetherflow-events.ts";

    /// <summary>The plugin's path in the asset catalog and, the same, under an opencode config dir.</summary>
    public const string AssetPath = "plugins/" + FileName;

    /// <summary>The engine socket the plugin forwards to; without it the plugin does nothing.</summary>
    public const string SocketVariable = "AETHERFLOW_SOCKET";

    /// <summary>The project the plugin forwards for; the engine refuses a plugin that names another project.</summary>
    public const string ProjectVariable = "AETHERFLOW_PROJECT";

    private static readonly string[] PluginFolders = ["plugins", "plugin"];
    private static readonly string[] FileNames = [FileName, "aetherflow-events.js"];

    /// <summary>
    /// Where an <c>opencode serve</c> with <paramref name="environment"/> started in <paramref name="workingDirectory"/>
    /// would load the plugin from — <c>{plugins,plugin}/aetherflow-events.{ts,js}</c> in <c>OPENCODE_CONFIG_DIR</c>,
    /// the global config dir, or <c>&lt;working dir&gt;/.opencode</c> — or null when it is not installed or external
    /// plugins are off (<c>OPENCODE_PURE</c>).
    /// </summary>
    public static string? FindInstalled(IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(workingDirectory);
        if (environment.TryGetValue("OPENCODE_PURE", out string? pure) && pure is "1" or "true")
        {
            return null;
        }

        var configDirectories = new List<string>();
        if (environment.TryGetValue("OPENCODE_CONFIG_DIR", out string? configDir) && configDir.Length > 0)
        {
            configDirectories.Add(configDir);
        }

        if (OpencodeConfigDirectory.GlobalPath(environment) is { } global)
        {
            configDirectories.Add(global);
        }

        configDirectories.Add(Path.Combine(workingDirectory, ".opencode"));
        foreach (string directory in configDirectories)
        {
            foreach (string folder in PluginFolders)
            {
                foreach (string name in FileNames)
                {
                    string candidate = Path.Combine(directory, folder, name);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        return null;
    }
}
