namespace Aetherflow.Engine.Demo;

/// <summary>The demo could not start or run; the message is one line that says why and what to do.</summary>
public sealed class DemoException : Exception
{
    public DemoException()
    {
    }

    public DemoException(string message)
        : base(message)
    {
    }

    public DemoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
