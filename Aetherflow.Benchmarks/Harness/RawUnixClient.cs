using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// A Unix socket client made of plain libc calls (socket, connect, write, close): what a C client of
/// the engine costs, so a load generator that opens a connection per message does not spend more processor per
/// connection than the server it measures (a .NET <c>Socket</c> costs several times the system calls' own time).
/// </summary>
internal sealed partial class RawUnixClient
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private readonly byte[] address;

    public RawUnixClient(string socketPath)
    {
        // struct sockaddr_un: sa_family_t (2 bytes, little-endian), then the NUL-terminated path (108 bytes).
        address = new byte[110];
        address[0] = AfUnix;
        byte[] path = Encoding.UTF8.GetBytes(socketPath);
        if (path.Length >= 108)
        {
            throw new ArgumentException($"socket path too long for sockaddr_un: {socketPath}", nameof(socketPath));
        }

        path.CopyTo(address, 2);
    }

    /// <summary>Connects, sends <paramref name="message"/> and closes, as a plugin that pushes one event and leaves.</summary>
    public void SendAndClose(byte[] message)
    {
        int fd = Check(Socket(AfUnix, SockStream, 0), "socket");
        try
        {
            Check(Connect(fd, address, address.Length), "connect");
            for (int sent = 0; sent < message.Length;)
            {
                sent += (int)Check((int)Write(fd, message.AsSpan(sent), message.Length - sent), "write");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new Win32Exception(Marshal.GetLastPInvokeError(), $"{call} failed");

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int Connect(int fd, byte[] address, int length);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
