using System.Globalization;

namespace Aetherflow.Engine.Tests.Support;

/// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> the process tests look at.</summary>
public sealed record ProcStat(char State, int ParentPid, int ProcessGroupId, int SessionId)
{
    /// <summary>Reads a process's stat line, or null when the process no longer exists.</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp session ..." — comm may hold spaces and parentheses, so split after the last ')'.
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStat(
            fields[0][0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            int.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// True when the process is gone or a zombie: an orphan's zombie lingers until init reaps it, and some container
    /// inits never do, but it runs no code.
    /// </summary>
    public static bool IsGone(int pid) => Read(pid) is null or { State: 'Z' or 'X' };

    /// <summary>The signals a process ignores, from the <c>SigIgn</c> mask in <c>/proc/&lt;pid&gt;/status</c>.</summary>
    public static ulong IgnoredSignals(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
