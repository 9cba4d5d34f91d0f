using System.Diagnostics;

namespace Aetherflow.Engine.Tests.Sessions;

/// <summary>A python3 script run as a real child process, talked to line by line over stdin and stdout.</summary>
public sealed class PythonProcess : IAsyncDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);
    private readonly Process process;

    private PythonProcess(Process process)
    {
        this.process = process;
    }

    public static PythonProcess Start(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new PythonProcess(Process.Start(start) ?? throw new InvalidOperationException("python3 did not start"));
    }

    public async Task<string> ReadLineAsync(string what)
    {
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(LineTimeout);
        return line ?? throw new AssertionException($"python3 ended before {what} (exit code {(process.HasExited ? process.ExitCode : -1)})");
    }

    public async Task WriteLineAsync(string line)
    {
        await process.StandardInput.WriteLineAsync(line);
        await process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the script to end and returns its exit code.</summary>
    public async Task<int> ExitAsync(TimeSpan timeout)
    {
        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(LineTimeout);
        }

        process.Dispose();
    }
}
