using System.Runtime.InteropServices;

namespace Aetherflow.Engine.Platform;

/// <summary>
/// Starts a program with libc's <c>posix_spawn</c> in a new session, with stdin from <c>/dev/null</c> and stdout and
/// stderr appended to a log file.
/// </summary>
/// <remarks>
/// Why posix_spawn rather than <see cref="System.Diagnostics.Process"/> behind the <c>setsid</c> program:
/// <list type="bullet">
/// <item><c>POSIX_SPAWN_SETSID</c> makes the child a session and group leader before it execs, so the pid we get back is
/// already the group id: no window in which <c>kill(-pid)</c> misses, no wrapper whose pid we must verify, and it works
/// on macOS, which has no <c>setsid</c> program.</item>
/// <item>File actions point stdout and stderr at the log file itself. <c>Process</c> can only redirect to pipes, and a
/// pipe held open by a grandchild is what kept the original's reaper stuck (§9 item 6).</item>
/// <item>glibc runs the child's setup before the parent resumes and returns its errno, so a bad working directory or a
/// program that cannot be executed is reported by the call itself rather than as an exit code 127 later.</item>
/// </list>
/// The cost is that the .NET runtime does not know the child, so <see cref="ChildProcess"/> reaps it itself.
/// </remarks>
internal static unsafe partial class PosixSpawn
{
    // posix_spawnattr_t, posix_spawn_file_actions_t and sigset_t are opaque; these sizes exceed every libc's layout
    // (glibc x86-64: 336, 80 and 128 bytes; macOS: one pointer, one pointer and 4 bytes).
    private const nuint AttributesSize = 1024;
    private const nuint FileActionsSize = 1024;
    private const nuint SignalSetSize = 256;

    private const short SetSignalDefaults = 0x04;
    private const short SetSignalMask = 0x08;
    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const uint OwnerReadWrite = 0x180; // 0600

    private static short SetSessionId => OperatingSystem.IsMacOS() ? (short)0x400 : (short)0x80;

    private static int AppendFlags => OperatingSystem.IsMacOS()
        ? WriteOnly | 0x200 /* O_CREAT */ | 0x8 /* O_APPEND */
        : WriteOnly | 0x40 /* O_CREAT */ | 0x400 /* O_APPEND */;

    /// <summary>
    /// Spawns <paramref name="path"/> (an absolute path) and returns its pid, or throws
    /// <see cref="ProcessLaunchException"/> with the errno the C library reported.
    /// </summary>
    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string workingDirectory, string logFile)
    {
        void* attributes = NativeMemory.AllocZeroed(AttributesSize);
        void* fileActions = NativeMemory.AllocZeroed(FileActionsSize);
        void* signals = NativeMemory.AllocZeroed(SignalSetSize);
        byte** nativeArgv = null;
        byte** nativeEnvironment = null;
        bool attributesReady = false;
        bool fileActionsReady = false;
        try
        {
            nativeArgv = ToNative(argv);
            nativeEnvironment = ToNative(environment);
            Check(PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            attributesReady = true;

            // The engine ignores SIGPIPE (the .NET runtime does) and may itself have been started with SIGINT ignored;
            // ignored dispositions survive exec, so reset every signal to its default and unblock them all.
            Check(SigFillSet(signals), "sigfillset");
            Check(PosixSpawnAttrSetSigDefault(attributes, signals), "posix_spawnattr_setsigdefault");
            Check(SigEmptySet(signals), "sigemptyset");
            Check(PosixSpawnAttrSetSigMask(attributes, signals), "posix_spawnattr_setsigmask");
            int flagsError = PosixSpawnAttrSetFlags(attributes, (short)(SetSessionId | SetSignalDefaults | SetSignalMask));
            if (flagsError != 0)
            {
                throw new ProcessLaunchException(
                    $"this C library cannot start a process in a new session (posix_spawn: {Message(flagsError)}); aetherflow needs glibc 2.26+, musl 1.1.24+ or macOS 10.15+");
            }

            Check(PosixSpawnFileActionsInit(fileActions), "posix_spawn_file_actions_init");
            fileActionsReady = true;
            Check(PosixSpawnFileActionsAddOpen(fileActions, 0, "/dev/null", ReadOnly, 0), "posix_spawn_file_actions_addopen");
            Check(PosixSpawnFileActionsAddOpen(fileActions, 1, logFile, AppendFlags, OwnerReadWrite), "posix_spawn_file_actions_addopen");
            Check(PosixSpawnFileActionsAddDup2(fileActions, 1, 2), "posix_spawn_file_actions_adddup2");
            Check(PosixSpawnFileActionsAddChdir(fileActions, workingDirectory), "posix_spawn_file_actions_addchdir_np");

            int error = PosixSpawnCall(out int pid, path, fileActions, attributes, nativeArgv, nativeEnvironment);
            if (error != 0)
            {
                throw new ProcessLaunchException($"could not start {path}: {Message(error)}");
            }

            return pid;
        }
        finally
        {
            if (fileActionsReady)
            {
                _ = PosixSpawnFileActionsDestroy(fileActions);
            }

            if (attributesReady)
            {
                _ = PosixSpawnAttrDestroy(attributes);
            }

            Free(nativeArgv);
            Free(nativeEnvironment);
            NativeMemory.Free(signals);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
        }
    }

    /// <summary>The C library's text for an errno value, e.g. <c>No such file or directory</c>.</summary>
    public static string Message(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static void Check(int result, string function)
    {
        // The posix_spawn family returns the error number; sigfillset and sigemptyset return -1 and set errno.
        if (result != 0)
        {
            int errno = result == -1 ? Marshal.GetLastPInvokeError() : result;
            throw new ProcessLaunchException($"{function} failed: {Message(errno)}");
        }
    }

    private static byte** ToNative(IReadOnlyList<string> strings)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < strings.Count; i++)
        {
            array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(strings[i]);
        }

        return array;
    }

    private static void Free(byte** array)
    {
        if (array == null)
        {
            return;
        }

        for (byte** item = array; *item != null; item++)
        {
            Marshal.FreeCoTaskMem((nint)(*item));
        }

        NativeMemory.Free(array);
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawnCall(out int pid, string path, void* fileActions, void* attributes, byte** argv, byte** environment);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int PosixSpawnAttrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int PosixSpawnAttrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int PosixSpawnAttrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int PosixSpawnAttrSetSigDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int PosixSpawnAttrSetSigMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int PosixSpawnFileActionsInit(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int PosixSpawnFileActionsDestroy(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawnFileActionsAddOpen(void* fileActions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int PosixSpawnFileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawnFileActionsAddChdir(void* fileActions, string path);

    [LibraryImport("libc", EntryPoint = "sigfillset", SetLastError = true)]
    private static partial int SigFillSet(void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
    private static partial int SigEmptySet(void* signals);
}
