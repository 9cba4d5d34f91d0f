namespace Aetherflow.Engine.Runtimes;

/// <summary>An agent could not be started; the message says why in one line.</summary>
public sealed class AgentLaunchException : Exception
{
    public AgentLaunchException(string message)
        : base(message)
    {
    }

    public AgentLaunchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AgentLaunchException()
    {
    }
}
