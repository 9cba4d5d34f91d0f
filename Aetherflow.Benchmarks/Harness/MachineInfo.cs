using System.Globalization;
using System.Runtime.InteropServices;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// The machine a run happened on, read when the run starts, for the report's header. <c>LoadAverage</c> holds the 1, 5
/// and 15 minute load averages before the run: other work on the machine shows there.
/// </summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Memory, string OperatingSystem, string Kernel, string Runtime, string LoadAverage)
{
    public static MachineInfo Read() => new(
        Cpu: ReadCpuModel(),
        Cores: Environment.ProcessorCount,
        Memory: ReadMemory(),
        OperatingSystem: ReadOsName(),
        Kernel: ReadOrDefault("/proc/sys/kernel/osrelease", RuntimeInformation.OSDescription).Trim(),
        Runtime: RuntimeInformation.FrameworkDescription,
        LoadAverage: string.Join(' ', ReadOrDefault("/proc/loadavg", "unknown").Split(' ').Take(3)).Trim());

    private static string ReadCpuModel()
    {
        foreach (string line in ReadLinesOrEmpty("/proc/cpuinfo"))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string ReadMemory()
    {
        foreach (string line in ReadLinesOrEmpty("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                long kb = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return string.Create(CultureInfo.InvariantCulture, $"{kb / 1024.0 / 1024.0:0.0} GiB");
            }
        }

        return "unknown";
    }

    private static string ReadOsName()
    {
        foreach (string line in ReadLinesOrEmpty("/etc/os-release"))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim('"');
            }
        }

        return RuntimeInformation.OSDescription;
    }

    private static IEnumerable<string> ReadLinesOrEmpty(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    private static string ReadOrDefault(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path) : fallback;
}
