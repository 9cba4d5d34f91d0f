using System.Runtime.InteropServices;

namespace Aetherflow.Engine.Platform;

/// <summary>
/// The few libc calls .NET does not expose: signals to process groups, waiting for children, uids, file owners, and a
/// socket read that never blocks.
/// </summary>
internal static partial class UnixNative
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int EPERM = 1;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int XOk = 1;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    /// <summary>
    /// Reads what <paramref name="socket"/> has already received, without waiting and without switching the socket to
    /// non-blocking mode (two system calls more each way): the bytes read, 0 at the end of the stream, or -1 when
    /// nothing has arrived yet or the read failed.
    /// </summary>
    public static int ReceiveNow(SafeHandle socket, Span<byte> buffer) =>
        (int)Receive(socket, buffer, buffer.Length, OperatingSystem.IsMacOS() ? 0x80 : 0x40); // MSG_DONTWAIT

    [LibraryImport("libc", EntryPoint = "recv")]
    private static partial nint Receive(SafeHandle socket, Span<byte> buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    public static partial int GetProcessGroupId(int pid);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref StatxBuffer buffer);

    /// <summary>The owner uid of <paramref name="path"/> (not following a final symlink), or null when it cannot be read.</summary>
    public static uint? OwnerOf(string path)
    {
        var buffer = default(StatxBuffer);
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, ref buffer) == 0 ? buffer.Uid : null;
    }

    /// <summary>True when <paramref name="path"/> itself (not a symlink target) is a Unix domain socket.</summary>
    public static bool IsSocket(string path)
    {
        var buffer = default(StatxBuffer);
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, ref buffer) == 0 && (buffer.Mode & 0xF000) == 0xC000;
    }

    // struct statx has the same layout on every Linux architecture; only the leading fields are read.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
    }
}
