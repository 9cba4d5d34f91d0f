namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>Reachability over "waits for" edges, to refuse a dependency that would close a cycle.</summary>
internal static class DependencyGraph
{
    /// <summary>
    /// A shortest chain of "waits for" edges from <paramref name="from"/> to <paramref name="to"/> (both included),
    /// or null when <paramref name="to"/> is not reachable.
    /// </summary>
    public static IReadOnlyList<string>? FindPath(IEnumerable<(string From, string To)> edges, string from, string to)
    {
        ILookup<string, string> next = edges.ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        var cameFrom = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            string node = queue.Dequeue();
            if (string.Equals(node, to, StringComparison.Ordinal))
            {
                var path = new List<string>();
                for (string? step = node; step is not null; step = cameFrom[step])
                {
                    path.Add(step);
                }

                path.Reverse();
                return path;
            }

            foreach (string neighbour in next[node])
            {
                if (cameFrom.TryAdd(neighbour, node))
                {
                    queue.Enqueue(neighbour);
                }
            }
        }

        return null;
    }
}
