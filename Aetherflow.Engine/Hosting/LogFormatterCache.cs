using Aetherflow.Engine.Opencode.Events;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// Keeps the log formatter of a read that ended at a cursor, for the next read that starts there. A formatter shows
/// each tool call once per stage only if it sees the whole stream; a follower reading a few events at a time would
/// otherwise get a fresh formatter per read and see "running" lines repeated. Bounded, and safe to share.
/// </summary>
internal sealed class LogFormatterCache
{
    private const int Capacity = 32;
    private readonly Lock gate = new();
    private readonly LinkedList<(string Session, long Cursor, OpencodeLogFormatter Formatter)> entries = new();

    /// <summary>The formatter that has seen <paramref name="session"/> up to <paramref name="cursor"/>, or a new one.</summary>
    public OpencodeLogFormatter Take(string session, long cursor)
    {
        lock (gate)
        {
            for (LinkedListNode<(string Session, long Cursor, OpencodeLogFormatter Formatter)>? node = entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Session == session && node.Value.Cursor == cursor)
                {
                    entries.Remove(node);
                    return node.Value.Formatter;
                }
            }
        }

        return new OpencodeLogFormatter();
    }

    /// <summary>Keeps <paramref name="formatter"/> for a read that starts at <paramref name="cursor"/>.</summary>
    public void Return(string session, long cursor, OpencodeLogFormatter formatter)
    {
        lock (gate)
        {
            entries.AddFirst((session, cursor, formatter));
            while (entries.Count > Capacity)
            {
                entries.RemoveLast();
            }
        }
    }
}
