using System.CommandLine;
using System.Text;
using Aetherflow.Engine.Hosting;
using Aetherflow.Tui.Commands;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>Runs <c>aetherflow</c> commands in-process with captured output.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(new CliHost { Environment = new HostEnvironment(environment), WorkingDirectory = workingDirectory }, args);

    /// <summary>Runs a command as if a person typed <paramref name="input"/> into a terminal.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunInTerminalAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, string input, params string[] args) =>
        RunAsync(new CliHost { Environment = new HostEnvironment(environment), WorkingDirectory = workingDirectory, Input = new StringReader(input), InputIsTerminal = true }, args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(CliHost host, string[] args)
    {
        CliRun run = Start(host, CancellationToken.None, args);
        int exitCode = await run.Completion;
        return (exitCode, run.Output, run.Error);
    }

    /// <summary>Starts a command that runs until it ends or <paramref name="cancellationToken"/> fires (ctrl+c).</summary>
    public static CliRun Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] args) =>
        Start(new CliHost { Environment = new HostEnvironment(environment), WorkingDirectory = workingDirectory }, cancellationToken, args);

    private static CliRun Start(CliHost host, CancellationToken cancellationToken, string[] args)
    {
        var output = new SharedWriter();
        var error = new SharedWriter();
        ParseResult parsed = AetherflowCli.Parse(host, args);
        Task<int> completion = Task.Run(() => parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken), CancellationToken.None);
        return new CliRun(completion, output, error);
    }
}

/// <summary>A command running in-process; its output can be read while it runs.</summary>
internal sealed record CliRun(Task<int> Completion, SharedWriter OutputWriter, SharedWriter ErrorWriter)
{
    public string Output => OutputWriter.Text;

    public string Error => ErrorWriter.Text;
}

/// <summary>A text writer that a command writes to while the test reads it.</summary>
internal sealed class SharedWriter : TextWriter
{
    private readonly StringBuilder text = new();
    private readonly Lock gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (gate)
            {
                return text.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (gate)
        {
            text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (gate)
        {
            text.Append(value);
        }
    }

    public override string ToString() => Text;
}
