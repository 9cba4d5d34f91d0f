using Microsoft.Win32.SafeHandles;

namespace Aetherflow.Engine.Events;

/// <summary>
/// A read handle on one journal file, opened when the file was opened for writing or loading, so payloads written to
/// it can be read back even after the file was rotated to <c>.1</c>, replaced or deleted (the open handle keeps the
/// data reachable). The handle closes once the journal no longer writes to the file (<see cref="Seal"/>), the ring no
/// longer holds an event in it (<see cref="Retire"/>) and the last reader that acquired it has released it.
/// </summary>
internal sealed class JournalSegment
{
    private readonly Lock gate = new();
    private readonly SafeFileHandle handle;
    private int readers;
    private bool retired;
    private bool sealedForWrites;

    public JournalSegment(string path, SafeFileHandle handle, bool writing)
    {
        Path = path;
        this.handle = handle;
        sealedForWrites = !writing;
    }

    /// <summary>The path the file had when it was opened (for messages).</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> for reading; <paramref name="writing"/> when the journal is writing to it.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public static JournalSegment Open(string path, bool writing) =>
        new(path, File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), writing);

    /// <summary>True once the handle was closed.</summary>
    public bool IsClosed
    {
        get
        {
            lock (gate)
            {
                return handle.IsClosed;
            }
        }
    }

    /// <summary>Keeps the handle open until <see cref="Release"/>; false when the segment was already closed.</summary>
    public bool TryAcquire()
    {
        lock (gate)
        {
            if (handle.IsClosed)
            {
                return false;
            }

            readers++;
            return true;
        }
    }

    /// <summary>Ends a <see cref="TryAcquire"/>.</summary>
    public void Release()
    {
        lock (gate)
        {
            readers--;
            CloseIfUnused();
        }
    }

    /// <summary>No event refers to this segment any more: close it as soon as no reader holds it.</summary>
    public void Retire()
    {
        lock (gate)
        {
            retired = true;
            CloseIfUnused();
        }
    }

    /// <summary>The journal writes no more to this file (it was rotated, failed or closed).</summary>
    public void Seal()
    {
        lock (gate)
        {
            sealedForWrites = true;
            CloseIfUnused();
        }
    }

    /// <summary>Closes the handle once no reader holds it, whatever still refers to it (the journal is being closed).</summary>
    public void Close()
    {
        lock (gate)
        {
            sealedForWrites = retired = true;
            CloseIfUnused();
        }
    }

    /// <summary>Reads exactly <paramref name="destination"/>'s length at <paramref name="offset"/>; false when the file is shorter.</summary>
    /// <exception cref="IOException">The read failed.</exception>
    public bool TryRead(long offset, Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                return false;
            }

            destination = destination[read..];
            offset += read;
        }

        return true;
    }

    private void CloseIfUnused()
    {
        if (retired && sealedForWrites && readers == 0)
        {
            handle.Dispose();
        }
    }
}
