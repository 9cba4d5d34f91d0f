namespace Aetherflow.Engine.Rpc;

/// <summary>Another engine already serves this project.</summary>
public sealed class EngineAlreadyRunningException : Exception
{
    public EngineAlreadyRunningException(string project, int? pid, string socketPath)
        : base(
            $"an aetherflow engine is already running for project '{project}'{(pid is null ? string.Empty : $" (pid {pid})")} on {socketPath}; " +
            $"use that one, or stop it first{(pid is null ? string.Empty : $" with 'kill {pid}'")}")
    {
        Project = project;
        Pid = pid;
        SocketPath = socketPath;
    }

    public EngineAlreadyRunningException()
    {
        Project = string.Empty;
        SocketPath = string.Empty;
    }

    public EngineAlreadyRunningException(string message)
        : base(message)
    {
        Project = string.Empty;
        SocketPath = string.Empty;
    }

    public EngineAlreadyRunningException(string message, Exception innerException)
        : base(message, innerException)
    {
        Project = string.Empty;
        SocketPath = string.Empty;
    }

    public string Project { get; }

    public int? Pid { get; }

    public string SocketPath { get; }
}
