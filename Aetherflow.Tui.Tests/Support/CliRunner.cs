using Aetherflow.Engine.Hosting;
using Aetherflow.Tui.Commands;
using System.CommandLine;

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
        using var output = new StringWriter();
        using var error = new StringWriter();
        ParseResult parsed = AetherflowCli.Parse(host, args);
        int exitCode = await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
