namespace Aetherflow.Engine.Opencode.Install;

/// <summary>opencode is missing and could not be installed; the message is one line that says what to do.</summary>
public sealed class OpencodeInstallException : Exception
{
    public OpencodeInstallException()
    {
    }

    public OpencodeInstallException(string message)
        : base(message)
    {
    }

    public OpencodeInstallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
