using System.Buffers;
using System.Text;
using CliWrap;

namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>
/// A pipe target that keeps at most a fixed number of bytes and drains the rest, so a runaway tracker can neither
/// exhaust memory nor block on a full pipe.
/// </summary>
internal sealed class BoundedOutput
{
    private readonly int maxBytes;
    private readonly ArrayBufferWriter<byte> kept = new();

    public BoundedOutput(int maxBytes)
    {
        this.maxBytes = maxBytes;
        Target = PipeTarget.Create(CopyAsync);
    }

    public PipeTarget Target { get; }

    /// <summary>True when the process wrote more than the limit.</summary>
    public bool Truncated { get; private set; }

    public string Text => Encoding.UTF8.GetString(kept.WrittenSpan);

    private async Task CopyAsync(Stream source, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            int keep = Math.Min(read, maxBytes - kept.WrittenCount);
            if (keep > 0)
            {
                kept.Write(chunk.AsSpan(0, keep));
            }

            Truncated |= keep < read;
        }
    }
}
