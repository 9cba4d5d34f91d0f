namespace Aetherflow.Engine.Config;

/// <summary>
/// The effective configuration: one value per key after flags, environment, file and defaults were merged, with the
/// origin of each value kept so <c>aetherflow config</c> can say where it came from.
/// </summary>
public sealed class AetherflowConfig
{
    private readonly Dictionary<string, ConfigEntry> entries;

    internal AetherflowConfig(string projectDirectory, string? configFile, IEnumerable<ConfigEntry> entries)
    {
        ProjectDirectory = projectDirectory;
        ConfigFile = configFile;
        this.entries = entries.ToDictionary(e => e.Key.Name);
    }

    /// <summary>The project's root folder (the git work tree the agents branch from).</summary>
    public string ProjectDirectory { get; }

    /// <summary>The config file that was read, or null when none exists.</summary>
    public string? ConfigFile { get; }

    /// <summary>Every key's entry, in <see cref="ConfigKeys.All"/> order.</summary>
    public IReadOnlyList<ConfigEntry> Entries => ConfigKeys.All.Select(k => entries[k.Name]).ToList();

    public string Project => Get<string>(ConfigKeys.Project);

    public SpawnPolicy SpawnPolicy => Get<string>(ConfigKeys.SpawnPolicy) == "auto" ? SpawnPolicy.Auto : SpawnPolicy.Manual;

    public string TaskSource => Get<string>(ConfigKeys.TaskSource);

    public string Runtime => Get<string>(ConfigKeys.Runtime);

    public int PoolSize => Get<int>(ConfigKeys.PoolSize);

    public TimeSpan PollInterval => Get<TimeSpan>(ConfigKeys.PollInterval);

    public int MaxRetries => Get<int>(ConfigKeys.MaxRetries);

    public TimeSpan RetryBackoff => Get<TimeSpan>(ConfigKeys.RetryBackoff);

    public TimeSpan RetryBackoffMax => Get<TimeSpan>(ConfigKeys.RetryBackoffMax);

    public bool Solo => Get<bool>(ConfigKeys.Solo);

    public TimeSpan ReconcileInterval => Get<TimeSpan>(ConfigKeys.ReconcileInterval);

    public string BaseBranch => Get<string>(ConfigKeys.BaseBranch);

    public string Remote => Get<string>(ConfigKeys.Remote);

    public string PromptDir => Get<string>(ConfigKeys.PromptDir);

    public string SessionDir => Get<string>(ConfigKeys.SessionDir);

    public string SpawnCmd => Get<string>(ConfigKeys.SpawnCmd);

    public string ServerUrl => Get<string>(ConfigKeys.ServerUrl);

    public string OpencodeBin => Get<string>(ConfigKeys.OpencodeBin);

    public string ProgBin => Get<string>(ConfigKeys.ProgBin);

    public string Model => Get<string>(ConfigKeys.Model);

    public TimeSpan HangTimeout => Get<TimeSpan>(ConfigKeys.HangTimeout);

    public string HangAction => Get<string>(ConfigKeys.HangAction);

    public int EventBufferEvents => Get<int>(ConfigKeys.EventBufferEvents);

    public string PermissionExternalDirectory => Get<string>(ConfigKeys.PermissionExternalDirectory);

    public string PermissionDoomLoop => Get<string>(ConfigKeys.PermissionDoomLoop);

    /// <summary>The entry for <paramref name="key"/>.</summary>
    public ConfigEntry this[ConfigKey key] => entries[key.Name];

    /// <summary>Returns a copy with some values replaced (tests and embedders; origins are marked as flags).</summary>
    public AetherflowConfig With(params (ConfigKey Key, object Value)[] overrides)
    {
        var merged = new Dictionary<string, ConfigEntry>(entries);
        foreach ((ConfigKey key, object value) in overrides)
        {
            merged[key.Name] = new ConfigEntry(key, value, new ConfigOrigin(ConfigSourceKind.Flag, "(override)"));
        }

        return new AetherflowConfig(ProjectDirectory, ConfigFile, merged.Values);
    }

    private T Get<T>(ConfigKey key) => (T)entries[key.Name].Value;
}
