namespace Aetherflow.Engine.Config;

/// <summary>Where a configuration value came from, in precedence order (a later kind beats an earlier one).</summary>
public enum ConfigSourceKind
{
    /// <summary>The built-in default.</summary>
    Default,

    /// <summary>The <c>.aetherflow.yaml</c> file.</summary>
    File,

    /// <summary>An <c>AETHERFLOW_*</c> environment variable.</summary>
    Environment,

    /// <summary>A command-line flag.</summary>
    Flag,
}

/// <summary>The source of one value: its kind plus a human-readable location (file:line:column, variable or flag name).</summary>
public sealed record ConfigOrigin(ConfigSourceKind Kind, string? Location = null)
{
    /// <summary>The origin of every built-in default.</summary>
    public static ConfigOrigin Default { get; } = new(ConfigSourceKind.Default);

    /// <summary>Short text for tables, e.g. <c>file .aetherflow.yaml:3:12</c> or <c>env AETHERFLOW_POOL_SIZE</c>.</summary>
    public override string ToString() => Kind switch
    {
        ConfigSourceKind.Default => Location is null ? "default" : $"default ({Location})",
        ConfigSourceKind.File => $"file {Location}",
        ConfigSourceKind.Environment => $"env {Location}",
        _ => $"flag {Location}",
    };
}
