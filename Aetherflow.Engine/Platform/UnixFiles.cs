using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Aetherflow.Engine.Platform;

/// <summary>
/// File calls .NET does not offer: opening a file without .NET's own advisory lock (a <see cref="FileStream"/> takes
/// <c>flock(LOCK_SH|LOCK_NB)</c> on open and fails while another process holds <c>LOCK_EX</c>), <c>flock</c> itself,
/// and <c>fsync</c> of a folder so a rename survives a crash.
/// </summary>
internal static partial class UnixFiles
{
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int LockUnlock = 8;

    private const int OpenReadOnly = 0;
    private const int OpenReadWrite = 2;
    private const int EINTR = 4;
    private const int EINVAL = 22;

    private static int OpenCreate => OperatingSystem.IsMacOS() ? 0x200 : 0x40;

    private static int OpenCloseOnExec => OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    private static int EWOULDBLOCK => OperatingSystem.IsMacOS() ? 35 : 11;

    private static int ENOTSUP => OperatingSystem.IsMacOS() ? 45 : 95;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle fd);

    /// <summary>
    /// Opens (creating it with mode 0600 if needed) a file for reading and writing, close-on-exec so agents started
    /// while it is open never inherit it — an inherited descriptor would keep a lock held after we release ours.
    /// </summary>
    public static SafeFileHandle OpenOrCreatePrivate(string path)
    {
        int fd;
        do
        {
            fd = Open(path, OpenReadWrite | OpenCreate | OpenCloseOnExec, 0x180);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (fd < 0)
        {
            throw Failure("open", path);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);

        // The mode given to open() passes through the umask (and is not passed reliably through a variadic call on
        // every ABI), so set it explicitly.
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (File.GetUnixFileMode(handle) != Private)
        {
            File.SetUnixFileMode(handle, Private);
        }

        return handle;
    }

    /// <summary>Tries <c>flock(LOCK_EX|LOCK_NB)</c>: true when the lock was taken, false when another holder has it.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle, string path)
    {
        while (true)
        {
            if (Flock(handle, LockExclusive | LockNonBlocking) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == EWOULDBLOCK)
            {
                return false;
            }

            if (errno != EINTR)
            {
                throw Failure("flock", path, errno);
            }
        }
    }

    /// <summary>Releases a lock taken with <see cref="TryLockExclusive"/> (closing the handle would too).</summary>
    public static void Unlock(SafeFileHandle handle, string path)
    {
        if (Flock(handle, LockUnlock) != 0)
        {
            throw Failure("flock(LOCK_UN)", path);
        }
    }

    /// <summary>
    /// Flushes a folder's entries to disk, so a file renamed into it is still there after a power loss. File systems
    /// that cannot sync folders (EINVAL, ENOTSUP) have nothing to flush.
    /// </summary>
    public static void SyncDirectory(string path)
    {
        int fd;
        do
        {
            fd = Open(path, OpenReadOnly | OpenCloseOnExec, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (fd < 0)
        {
            throw Failure("open", path);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Fsync(handle) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINVAL && errno != ENOTSUP)
            {
                throw Failure("fsync", path, errno);
            }
        }
    }

    private static IOException Failure(string call, string path, int? errno = null)
    {
        int code = errno ?? Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path} failed: {Marshal.GetPInvokeErrorMessage(code)} (errno {code})", code);
    }
}
