namespace Aetherflow.Engine.Config;

/// <summary>A configuration error, with a one-line message that names where the bad value is and what to do.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigException()
    {
    }
}
