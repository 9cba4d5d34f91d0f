using System.Buffers;

namespace Aetherflow.Engine.Events;

/// <summary>
/// Splits the first <c>length</c> bytes of a stream into LF-terminated lines without decoding them. Lines longer than the limit are reported as
/// oversized (and their bytes skipped) rather than buffered, so a corrupt file cannot exhaust memory.
/// </summary>
internal sealed class JournalLineReader : IDisposable
{
    private readonly Stream stream;
    private readonly int maxLineBytes;
    private long remaining;
    private byte[] buffer;
    private long bufferOffset;
    private int start;
    private int end;
    private bool endOfStream;
    private bool skippingOversized;

    public JournalLineReader(Stream stream, long length, int maxLineBytes)
    {
        this.stream = stream;
        remaining = length;
        this.maxLineBytes = maxLineBytes;
        buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>Where in the stream the line last returned starts.</summary>
    public long LineOffset { get; private set; }

    /// <summary>
    /// Reads the next line. Returns false at the end of the stream. <paramref name="terminated"/> is false for a last
    /// line without LF (a write cut short); <paramref name="oversized"/> is true for a line over the limit, whose
    /// content is then empty. The returned memory is valid until the next call.
    /// </summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool terminated, out bool oversized)
    {
        while (true)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                line = buffer.AsMemory(start, newline - start);
                LineOffset = bufferOffset + start;
                start = newline + 1;
                terminated = true;
                oversized = skippingOversized;
                if (skippingOversized)
                {
                    skippingOversized = false;
                    line = ReadOnlyMemory<byte>.Empty;
                }

                return true;
            }

            if (endOfStream)
            {
                bool any = end > start || skippingOversized;
                line = skippingOversized ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(start, end - start);
                LineOffset = bufferOffset + start;
                oversized = skippingOversized;
                terminated = false;
                skippingOversized = false;
                start = end;
                return any;
            }

            if (skippingOversized || end - start >= maxLineBytes)
            {
                // Drop what we have of this line and keep dropping until its LF.
                skippingOversized = true;
                bufferOffset += end;
                start = end = 0;
            }

            Fill();
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private void Fill()
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            bufferOffset += start;
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxLineBytes + 1));
            Buffer.BlockCopy(buffer, 0, larger, 0, end);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        int read = remaining > 0 ? stream.Read(buffer, end, (int)Math.Min(buffer.Length - end, remaining)) : 0;
        if (read == 0)
        {
            endOfStream = true;
        }

        end += read;
        remaining -= read;
    }
}
