namespace Aetherflow.Engine.Sessions;

/// <summary>
/// The session registry cannot be used right now: its lock is held too long, or <c>sessions.json</c> was written by a
/// newer aetherflow. The message is one line that says what to do.
/// </summary>
public sealed class SessionRegistryException : Exception
{
    public SessionRegistryException(string message)
        : base(message)
    {
    }

    public SessionRegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SessionRegistryException()
    {
    }
}
