namespace Aetherflow.Engine.Worktrees;

/// <summary>One entry of <c>git worktree list --porcelain</c>.</summary>
internal sealed record WorktreeRegistration(string Path, string? Head, string? BranchRef, bool Locked, bool Prunable)
{
    /// <summary>Parses the porcelain listing: blocks separated by blank lines, one <c>key [value]</c> per line.</summary>
    public static IReadOnlyList<WorktreeRegistration> Parse(string porcelain)
    {
        var entries = new List<WorktreeRegistration>();
        WorktreeRegistration? current = null;
        foreach (string raw in porcelain.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string key = space < 0 ? line : line[..space];
            string value = space < 0 ? string.Empty : line[(space + 1)..];
            if (key == "worktree")
            {
                Flush();
                current = new WorktreeRegistration(value, null, null, false, false);
            }
            else if (current is not null)
            {
                current = key switch
                {
                    "HEAD" => current with { Head = value },
                    "branch" => current with { BranchRef = value },
                    "locked" => current with { Locked = true },
                    "prunable" => current with { Prunable = true },
                    _ => current,
                };
            }
        }

        Flush();
        return entries;

        void Flush()
        {
            if (current is not null)
            {
                entries.Add(current);
                current = null;
            }
        }
    }
}
