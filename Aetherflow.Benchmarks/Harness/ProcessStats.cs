using System.Globalization;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>CPU time and resident memory of a process, read from <c>/proc</c> (Linux).</summary>
internal static class ProcessStats
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux the project runs on.
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU time of <paramref name="pid"/> (including its finished threads), 10 ms resolution.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may hold spaces; count fields after the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }

    public static TimeSpan CpuTime() => CpuTime(Environment.ProcessId);

    /// <summary>CPU time of <paramref name="pid"/> plus that of its children it has waited for (cutime + cstime).</summary>
    public static TimeSpan CpuTimeWithReapedChildren(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = 0;
        for (int i = 11; i <= 14; i++)
        {
            ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The command line of <paramref name="pid"/>, arguments separated by spaces (empty when it is gone).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>Resident set size (VmRSS) of <paramref name="pid"/> in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }

    /// <summary>CPU time of <paramref name="pid"/> and every descendant still alive.</summary>
    public static TimeSpan TreeCpuTime(int pid)
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (int member in Descendants(pid).Prepend(pid))
        {
            try
            {
                total += CpuTime(member);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited between listing and reading.
            }
        }

        return total;
    }

    /// <summary>Every live descendant of <paramref name="pid"/>.</summary>
    public static IEnumerable<int> Descendants(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int child))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out List<int>? list))
                {
                    children[parent] = list = [];
                }

                list.Add(child);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited while listing.
            }
        }

        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            if (children.TryGetValue(pending.Pop(), out List<int>? list))
            {
                foreach (int child in list)
                {
                    yield return child;
                    pending.Push(child);
                }
            }
        }
    }
}
