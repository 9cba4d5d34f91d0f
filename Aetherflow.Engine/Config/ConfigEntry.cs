namespace Aetherflow.Engine.Config;

/// <summary>The effective value of one key and where it came from.</summary>
public sealed record ConfigEntry(ConfigKey Key, object Value, ConfigOrigin Origin)
{
    /// <summary>The value as it would be written in the file.</summary>
    public string FormattedValue => Key.Format(Value);
}
