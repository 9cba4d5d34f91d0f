using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Aetherflow.Engine.Platform;

/// <summary>
/// An exclusive <c>flock</c> on a lock file, shared with every process that speaks the same protocol (other
/// aetherflow processes, the Go tool, a script using <c>fcntl.flock</c>). The lock belongs to this open file, so two
/// holders in one process exclude each other too, and the kernel drops it if the process dies.
/// </summary>
internal sealed class AdvisoryFileLock : IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(25);

    private readonly SafeFileHandle handle;

    private AdvisoryFileLock(SafeFileHandle handle, string path)
    {
        this.handle = handle;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>
    /// Takes the lock, retrying a non-blocking <c>flock</c> with a growing pause (a blocking call could not be
    /// cancelled or bounded). Returns null when another holder kept it for longer than <paramref name="timeout"/>.
    /// </summary>
    public static async Task<AdvisoryFileLock?> TryAcquireAsync(
        string path, TimeSpan timeout, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        SafeFileHandle handle = UnixFiles.OpenOrCreatePrivate(path);
        try
        {
            long started = timeProvider.GetTimestamp();
            TimeSpan pause = FirstRetry;
            bool announced = false;
            while (!UnixFiles.TryLockExclusive(handle, path))
            {
                TimeSpan remaining = timeout - timeProvider.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    handle.Dispose();
                    return null;
                }

                if (!announced)
                {
                    logger.LogDebug("{LockFile} is held by another process; waiting up to {Timeout}", path, timeout);
                    announced = true;
                }

                await Task.Delay(pause < remaining ? pause : remaining, timeProvider, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestRetry.Ticks));
            }

            return new AdvisoryFileLock(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        if (handle.IsClosed)
        {
            return;
        }

        try
        {
            UnixFiles.Unlock(handle, Path);
        }
        finally
        {
            // Closing the last descriptor of the open file releases the lock even if the explicit unlock failed.
            handle.Dispose();
        }
    }
}
