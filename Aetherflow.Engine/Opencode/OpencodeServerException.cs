namespace Aetherflow.Engine.Opencode;

/// <summary>The managed opencode server could not be started; the message says why and what to do.</summary>
public sealed class OpencodeServerException : Exception
{
    public OpencodeServerException()
    {
    }

    public OpencodeServerException(string message)
        : base(message)
    {
    }

    public OpencodeServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
