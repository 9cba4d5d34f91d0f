using System.Text;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Where one project's engine listens: <c>&lt;runtime dir&gt;/&lt;project&gt;.sock</c>, with a lock file that makes the
/// engine a singleton per project and a pid file that names the running engine.
/// </summary>
public sealed record EngineEndpoint
{
    // sun_path holds 108 bytes including the terminating NUL.
    internal const int MaxSocketPathBytes = 107;

    private EngineEndpoint(string directory, string project)
    {
        Directory = directory;
        Project = project;
        SocketPath = Path.Combine(directory, project + ".sock");
        LockPath = Path.Combine(directory, project + ".lock");
        PidPath = Path.Combine(directory, project + ".pid");
    }

    /// <summary>The owner-only runtime folder.</summary>
    public string Directory { get; }

    public string Project { get; }

    public string SocketPath { get; }

    public string LockPath { get; }

    public string PidPath { get; }

    /// <summary>The endpoint of <paramref name="project"/>, which must be a validated project name.</summary>
    public static EngineEndpoint For(AetherflowPaths paths, string project)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!Identifiers.IsProjectName(project))
        {
            throw new ArgumentException($"invalid project name '{project}': {Identifiers.ProjectNameRule}", nameof(project));
        }

        var endpoint = new EngineEndpoint(paths.RuntimeDirectory, project);
        if (Encoding.UTF8.GetByteCount(endpoint.SocketPath) > MaxSocketPathBytes)
        {
            throw new IOException(
                $"socket path {endpoint.SocketPath} is longer than the system's limit of {MaxSocketPathBytes} bytes; set XDG_RUNTIME_DIR to a shorter folder or use a shorter project name");
        }

        return endpoint;
    }

    /// <summary>The pid written by the engine that holds the lock, or null when none can be read.</summary>
    public int? ReadPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidPath).Trim(), out int pid) ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
