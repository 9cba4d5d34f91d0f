namespace Aetherflow.Engine.Rpc;

/// <summary>No engine listens on the project's socket.</summary>
public sealed class EngineNotRunningException : Exception
{
    public EngineNotRunningException(string socketPath, Exception? innerException = null)
        : base($"no aetherflow engine is running on {socketPath}; start one with 'aetherflow' (dashboard) or 'aetherflow --headless'", innerException)
    {
        SocketPath = socketPath;
    }

    public EngineNotRunningException()
    {
        SocketPath = string.Empty;
    }

    public EngineNotRunningException(string message)
        : base(message)
    {
        SocketPath = string.Empty;
    }

    public string SocketPath { get; }
}
