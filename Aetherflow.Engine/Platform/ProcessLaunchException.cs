namespace Aetherflow.Engine.Platform;

/// <summary>A process could not be started; the message says why and what to fix, in one line.</summary>
public sealed class ProcessLaunchException : Exception
{
    public ProcessLaunchException(string message)
        : base(message)
    {
    }

    public ProcessLaunchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProcessLaunchException()
    {
    }
}
