using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using Aetherflow.Engine.Platform;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Takes what a connection sent before it was accepted, without waiting: its leading <c>session.event</c> lines go
/// straight to the connection's sink on the accepting thread. A plugin that connects, sends its events and closes is
/// served completely here, without the connection's read loop, pipes and thread-pool hand-offs (which cost several
/// times the event itself); anything else is left for that read loop, starting with the first byte not taken.
/// </summary>
internal sealed class ArrivedEventLines
{
    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r\n"u8);
    private readonly byte[] buffer;

    /// <param name="bufferBytes">The most taken at once; a connection that sent more is left to its read loop.</param>
    public ArrivedEventLines(int bufferBytes) => buffer = new byte[bufferBytes];

    /// <summary>
    /// Reads what <paramref name="client"/> has already received and hands its leading event lines to
    /// <paramref name="events"/>, flushed. True when that was all: the peer has closed its side and sent nothing else
    /// (a last line without its newline included, as the read loop takes it). False otherwise, with the bytes read but
    /// not taken in <paramref name="rest"/> (a copy), for the read loop to read before the socket.
    /// </summary>
    public bool TryTakeAll(Socket client, ISessionEventSink events, out byte[] rest)
    {
        int length = 0;
        bool closed = false;
        while (length < buffer.Length)
        {
            int read = UnixNative.ReceiveNow(client.SafeHandle, buffer.AsSpan(length));
            if (read < 0)
            {
                // Nothing more yet, or an error (a reset, a signal): the read loop waits for the rest or meets the error.
                break;
            }

            if (read == 0)
            {
                closed = true;
                break;
            }

            length += read;
        }

        ReadOnlySpan<byte> received = buffer.AsSpan(0, length);
        int taken = TakeEventLines(received, events, closed);
        events.Flush();
        if (closed && IsBlank(received[taken..]))
        {
            rest = [];
            return true;
        }

        rest = received[taken..].ToArray();
        return false;
    }

    // Hands over lines while they are session.event notifications (or blank); returns the bytes used. Once the peer
    // has closed its side, what follows the last newline is a line too.
    private int TakeEventLines(ReadOnlySpan<byte> received, ISessionEventSink events, bool closed)
    {
        int taken = 0;
        while (taken < received.Length)
        {
            int end = received[taken..].IndexOf((byte)'\n');
            if (end < 0 && !closed)
            {
                break;
            }

            end = end < 0 ? received.Length - taken : end;

            var line = new ReadOnlySequence<byte>(buffer, taken, end);
            if (!IsBlank(received.Slice(taken, end)))
            {
                if (!SessionEventLine.TryParse(line, out JsonDocument? notification, out JsonElement parameters))
                {
                    break;
                }

                events.Accept(notification, parameters);
            }

            taken = Math.Min(taken + end + 1, received.Length);
        }

        return taken;
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept(Blanks);
}
