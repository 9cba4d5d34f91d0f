namespace Aetherflow.Engine.Sessions;

/// <summary><c>sessions.json</c> is not a registry at all (invalid JSON, truncated, wrong shape); it gets moved aside.</summary>
internal sealed class SessionFileCorruptException : Exception
{
    public SessionFileCorruptException(string message)
        : base(message)
    {
    }

    public SessionFileCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SessionFileCorruptException()
    {
    }
}
