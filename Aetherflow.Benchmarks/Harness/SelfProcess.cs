using System.Diagnostics;
using System.Reflection;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// Starts this benchmark program again in a hidden child mode (<c>--child &lt;mode&gt; …</c>): load generators run
/// there so the engine's process CPU time is the engine's alone, and memory is measured in a fresh process.
/// </summary>
internal static class SelfProcess
{
    /// <summary>The command line that runs this program in child mode <paramref name="mode"/> (for a terminal).</summary>
    public static IReadOnlyList<string> CommandLine(string mode, params string[] arguments)
    {
        ProcessStartInfo start = StartInfo(mode, arguments);
        return [start.FileName, .. start.ArgumentList];
    }

    public static ProcessStartInfo StartInfo(string mode, params string[] arguments)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(mode);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public static Process Start(string mode, params string[] arguments) =>
        Process.Start(StartInfo(mode, arguments)) ?? throw new InvalidOperationException($"could not start child mode {mode}");

    /// <summary>Runs a child to completion and returns its standard output; a failure throws with its stderr.</summary>
    public static async Task<string> RunAsync(string mode, string[] arguments, CancellationToken cancellationToken)
    {
        using Process child = Start(mode, arguments);
        Task<string> output = child.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = child.StandardError.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"child {mode} exited with {child.ExitCode}: {(await error).Trim()}");
        }

        return await output;
    }
}
