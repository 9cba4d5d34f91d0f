using Aetherflow.Engine.Platform;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Makes the engine a singleton per project. The lock is an exclusive advisory lock (flock) on the endpoint's lock
/// file, held for the engine's lifetime and released by the kernel if the process dies — so a crash never leaves a
/// stale lock, and whoever holds the lock may safely replace a socket file left behind by a crashed engine.
/// </summary>
public sealed class EngineInstanceLock : IDisposable
{
    private readonly FileStream lockFile;
    private readonly EngineEndpoint endpoint;

    private EngineInstanceLock(FileStream lockFile, EngineEndpoint endpoint)
    {
        this.lockFile = lockFile;
        this.endpoint = endpoint;
    }

    /// <summary>The project's endpoint (socket, pid and lock files) this lock guards.</summary>
    public EngineEndpoint Endpoint => endpoint;

    /// <summary>
    /// Takes the lock, or throws <see cref="EngineAlreadyRunningException"/> naming the pid of the engine that holds it.
    /// </summary>
    public static EngineInstanceLock Acquire(EngineEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        PrivateDirectory.Ensure(endpoint.Directory);
        FileStream stream;
        try
        {
            // On Unix, FileShare.None makes .NET take flock(LOCK_EX | LOCK_NB) on the file.
            stream = new FileStream(endpoint.LockPath, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException)
        {
            throw new EngineAlreadyRunningException(endpoint.Project, endpoint.ReadPid(), endpoint.SocketPath);
        }

        string temp = endpoint.PidPath + ".tmp";
        File.WriteAllText(temp, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, endpoint.PidPath, overwrite: true);
        return new EngineInstanceLock(stream, endpoint);
    }

    /// <summary>Releases the lock and removes the pid file.</summary>
    public void Dispose()
    {
        if (endpoint.ReadPid() == Environment.ProcessId)
        {
            File.Delete(endpoint.PidPath);
        }

        lockFile.Dispose();
    }
}
