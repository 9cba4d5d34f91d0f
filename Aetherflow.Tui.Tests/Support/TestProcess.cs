using System.Diagnostics;
using System.Text;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>The real <c>aetherflow</c> executable as a child process, with its output collected.</summary>
internal sealed class TestProcess : IDisposable
{
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    private TestProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (error) { error.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output { get { lock (output) { return output.ToString(); } } }

    public string Error { get { lock (error) { return error.ToString(); } } }

    /// <summary>The command line that runs the built aetherflow (the test output folder holds a copy).</summary>
    public static (string FileName, string[] Prefix) Executable()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "aetherflow.dll");
        return ("dotnet", [dll]);
    }

    public static TestProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(Executable(), workingDirectory, environment, args);

    /// <summary>Starts <paramref name="program"/> (a file and the arguments that come first), e.g. a published build.</summary>
    public static TestProcess Start((string FileName, string[] Prefix) program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        (string fileName, string[] prefix) = program;
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        foreach (string name in new[] { "DOTNET_ROOT", "DOTNET_CLI_HOME" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (string arg in prefix.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return new TestProcess(process);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(5000);
        }

        Process.Dispose();
    }
}
