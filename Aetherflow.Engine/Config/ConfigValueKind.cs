namespace Aetherflow.Engine.Config;

/// <summary>The type of a configuration key's value.</summary>
public enum ConfigValueKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A duration such as <c>10s</c>.</summary>
    Duration,

    /// <summary>One of a fixed set of words.</summary>
    Choice,
}
