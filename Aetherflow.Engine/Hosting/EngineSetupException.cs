namespace Aetherflow.Engine.Hosting;

/// <summary>The engine cannot be assembled from its configuration; the message says what to change.</summary>
public sealed class EngineSetupException : Exception
{
    public EngineSetupException(string message)
        : base(message)
    {
    }

    public EngineSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EngineSetupException()
    {
    }
}
