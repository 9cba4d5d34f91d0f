namespace Aetherflow.Engine.Hosting;

/// <summary>
/// The per-user folders the engine uses, following the XDG base directory rules: configuration (session registry),
/// state (journals, logs), cache (installed tools) and the runtime folder that holds the engine sockets.
/// </summary>
public sealed class AetherflowPaths
{
    private AetherflowPaths(string home, string configHome, string stateHome, string cacheHome, string? runtimeHome)
    {
        Home = home;
        ConfigDirectory = Path.Combine(configHome, "aetherflow");
        StateDirectory = Path.Combine(stateHome, "aetherflow");
        CacheDirectory = Path.Combine(cacheHome, "aetherflow");
        RuntimeDirectory = runtimeHome is null ? Path.Combine(StateDirectory, "run") : Path.Combine(runtimeHome, "aetherflow");
    }

    /// <summary>The user's home folder.</summary>
    public string Home { get; }

    /// <summary><c>$XDG_CONFIG_HOME/aetherflow</c> (default <c>~/.config/aetherflow</c>).</summary>
    public string ConfigDirectory { get; }

    /// <summary><c>$XDG_STATE_HOME/aetherflow</c> (default <c>~/.local/state/aetherflow</c>).</summary>
    public string StateDirectory { get; }

    /// <summary><c>$XDG_CACHE_HOME/aetherflow</c> (default <c>~/.cache/aetherflow</c>).</summary>
    public string CacheDirectory { get; }

    /// <summary>
    /// The owner-only folder of engine sockets: <c>$XDG_RUNTIME_DIR/aetherflow</c>, or <c>run/</c> under the state
    /// folder when there is no runtime dir — never a predictable name in world-writable <c>/tmp</c>.
    /// </summary>
    public string RuntimeDirectory { get; }

    /// <summary>The default session registry folder.</summary>
    public string SessionsDirectory => Path.Combine(ConfigDirectory, "sessions");

    /// <summary>Resolves the folders from an environment.</summary>
    public static AetherflowPaths From(HostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string home = environment.Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new AetherflowPaths(
            home,
            Absolute(environment.Get("XDG_CONFIG_HOME")) ?? Path.Combine(home, ".config"),
            Absolute(environment.Get("XDG_STATE_HOME")) ?? Path.Combine(home, ".local", "state"),
            Absolute(environment.Get("XDG_CACHE_HOME")) ?? Path.Combine(home, ".cache"),
            Absolute(environment.Get("XDG_RUNTIME_DIR")));
    }

    /// <summary>The state folder of one project (journals and engine log).</summary>
    public string ProjectStateDirectory(string project) => Path.Combine(StateDirectory, "projects", project);

    // The XDG spec says relative paths in these variables are invalid and must be ignored.
    private static string? Absolute(string? path) => path is not null && Path.IsPathRooted(path) ? path : null;
}
