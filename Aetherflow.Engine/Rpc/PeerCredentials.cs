using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Aetherflow.Engine.Rpc;

/// <summary>The process on the other end of a Unix socket, as reported by the kernel (SO_PEERCRED).</summary>
public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads the peer's credentials, or null where the platform cannot tell.</summary>
    public static PeerCredentials? Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> ucred = stackalloc byte[12];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        return length < 12
            ? null
            : new PeerCredentials(
                MemoryMarshal.Read<int>(ucred),
                MemoryMarshal.Read<uint>(ucred[4..]),
                MemoryMarshal.Read<uint>(ucred[8..]));
    }
}
