namespace Aetherflow.Tui.Ui.Shell;

/// <summary>What was entered into a bar before, newest last, walked with ↑ and ↓; it survives an attach.</summary>
internal sealed class History
{
    private const int Limit = 100;
    private readonly List<string> entries = [];
    private int position;

    public IReadOnlyList<string> Entries => entries;

    public void Add(string entry)
    {
        if (string.IsNullOrWhiteSpace(entry))
        {
            return;
        }

        entries.Remove(entry);
        entries.Add(entry);
        if (entries.Count > Limit)
        {
            entries.RemoveAt(0);
        }

        Reset();
    }

    /// <summary>Starts a new walk at the newest entry.</summary>
    public void Reset() => position = entries.Count;

    /// <summary>The previous (older) entry, or null at the oldest.</summary>
    public string? Older()
    {
        if (position == 0)
        {
            return null;
        }

        return entries[--position];
    }

    /// <summary>The next (newer) entry; empty text past the newest.</summary>
    public string? Newer()
    {
        if (position >= entries.Count)
        {
            return null;
        }

        position++;
        return position == entries.Count ? string.Empty : entries[position];
    }
}
