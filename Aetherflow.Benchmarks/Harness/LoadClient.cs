using System.Diagnostics;
using System.Globalization;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// The parent's side of a load-generating child process: the child prepares its load, prints <c>ready</c>, starts on
/// <c>go</c>, and on <c>end</c> prints its own CPU time (ms) and exits — so the load's cost is measured apart from
/// the engine's.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly Process process;
    private readonly Task<string> errors;

    private LoadClient(Process process)
    {
        this.process = process;
        errors = process.StandardError.ReadToEndAsync();
    }

    public int Pid => process.Id;

    public static async Task<LoadClient> StartAsync(string mode, string[] arguments, CancellationToken cancellationToken)
    {
        var client = new LoadClient(SelfProcess.Start(mode, arguments));
        string? line = await client.process.StandardOutput.ReadLineAsync(cancellationToken);
        if (line != "ready")
        {
            throw new InvalidOperationException($"load client {mode} did not start: {line} {await client.errors}");
        }

        return client;
    }

    public void Go() => process.StandardInput.WriteLine("go");

    /// <summary>Tells the child to stop and returns the CPU time it used since go.</summary>
    public async Task<TimeSpan> EndAsync(CancellationToken cancellationToken)
    {
        await process.StandardInput.WriteLineAsync("end".AsMemory(), cancellationToken);
        await process.StandardInput.FlushAsync(cancellationToken);
        string? cpu = await process.StandardOutput.ReadLineAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || cpu is null)
        {
            throw new InvalidOperationException($"load client failed ({process.ExitCode}): {await errors}");
        }

        return TimeSpan.FromMilliseconds(double.Parse(cpu, CultureInfo.InvariantCulture));
    }

    public async Task<string> ErrorsAsync() => process.HasExited ? await errors : "(still running)";

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    /// <summary>
    /// The child's side: signals ready, waits for go, runs <paramref name="load"/> (which gets a task that completes
    /// on end, to hold connections open until then), waits for end, prints the CPU time it used from go to end (its
    /// start-up and preparing the load are not the measure's).
    /// </summary>
    public static async Task<int> ServeAsync(Func<Task, Task> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        if (Console.In.ReadLine() != "go")
        {
            return 1;
        }

        TimeSpan atGo = Process.GetCurrentProcess().TotalProcessorTime;
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task running = load(ended.Task);
        await Task.Run(() =>
        {
            while (Console.In.ReadLine() is { } line && line != "end")
            {
            }

            ended.TrySetResult();
        });
        await running;
        TimeSpan used = Process.GetCurrentProcess().TotalProcessorTime - atGo;
        Console.Out.WriteLine(used.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));
        Console.Out.Flush();
        return 0;
    }
}
