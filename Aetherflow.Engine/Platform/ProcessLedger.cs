using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Platform;

/// <summary>
/// Remembers every process group the engine starts (agents, the managed opencode server) in a small file under the
/// project's state folder. Agents run in their own sessions, so a crashed (<c>kill -9</c>) engine leaves them running;
/// the next engine of the project stops those orphans before it starts anything, so a reclaimed task never gets a
/// second agent. A pid counts as ours only while its start time matches what was recorded, so a reused pid is never
/// touched.
/// </summary>
public sealed partial class ProcessLedger
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly string path;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<int, Entry> entries = [];

    public ProcessLedger(string path, TimeProvider time, ILogger logger)
    {
        this.path = path;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Records a process group leader the engine started.</summary>
    public void Record(int pid, string kind, string label)
    {
        if (StartTime(pid) is not long started)
        {
            return;
        }

        lock (gate)
        {
            entries[pid] = new Entry(pid, started, kind, label);
            Save();
        }
    }

    /// <summary>Forgets a process that exited (or was stopped).</summary>
    public void Forget(int pid)
    {
        lock (gate)
        {
            if (entries.Remove(pid))
            {
                Save();
            }
        }
    }

    /// <summary>
    /// Stops every recorded process group that still runs (SIGTERM, then SIGKILL after a grace period) and starts a new,
    /// empty ledger. Returns one line per process stopped.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopOrphansAsync(CancellationToken cancellationToken)
    {
        var stopped = new List<string>();
        foreach (Entry orphan in Load().Where(e => StartTime(e.Pid) == e.StartTicks))
        {
            logger.LogWarning("Stopping {Kind} {Label} (pid {Pid}) left running by an engine that did not shut down cleanly", orphan.Kind, orphan.Label, orphan.Pid);
            UnixNative.Kill(-orphan.Pid, UnixNative.SIGTERM);
            DateTimeOffset deadline = time.GetUtcNow() + StopGrace;
            while (StartTime(orphan.Pid) == orphan.StartTicks && time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }

            // SIGKILL the whole group even if the leader left: its children may not have.
            UnixNative.Kill(-orphan.Pid, UnixNative.SIGKILL);
            stopped.Add($"stopped {orphan.Kind} {orphan.Label} (pid {orphan.Pid}) left running by a previous engine");
        }

        lock (gate)
        {
            entries.Clear();
            Save();
        }

        return stopped;
    }

    /// <summary>The kernel's start time of <paramref name="pid"/> (clock ticks since boot), or null when it is gone.</summary>
    public static long? StartTime(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");

            // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private List<Entry> Load()
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), LedgerJson.Default.ListEntry) ?? [] : [];
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            logger.LogWarning("Ignoring the unreadable process ledger {Path}: {Error}", path, ex.Message);
            return [];
        }
    }

    private void Save()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temp = path + ".tmp";
            using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                JsonSerializer.Serialize(stream, entries.Values.ToList(), LedgerJson.Default.ListEntry);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Losing the ledger only means an orphan could survive a crash; the engine itself carries on.
            logger.LogWarning("Could not write the process ledger {Path}: {Error}", path, ex.Message);
        }
    }

    private sealed record Entry(int Pid, long StartTicks, string Kind, string Label);

    /// <summary>The ledger file's format (the serializer's defaults: member names as written here).</summary>
    [JsonSerializable(typeof(List<Entry>))]
    private sealed partial class LedgerJson : JsonSerializerContext;
}
