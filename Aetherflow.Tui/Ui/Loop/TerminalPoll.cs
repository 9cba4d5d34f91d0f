using System.Runtime.InteropServices;

namespace Aetherflow.Tui.Ui.Loop;

/// <summary>The libc calls that let the input thread sleep until the terminal has input or it is told to stop.</summary>
internal static class TerminalPoll
{
    public const short PollIn = 0x001;
    public const short PollErr = 0x008;
    public const short PollHup = 0x010;
    public const short PollNval = 0x020;
    public const int StdIn = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static extern int Poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);

    [DllImport("libc", EntryPoint = "pipe", SetLastError = true)]
    public static extern int Pipe([Out] int[] fds);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    public static extern nint Write(int fd, byte[] buffer, nuint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "isatty")]
    public static extern int IsATty(int fd);
}
