using Aetherflow.Engine.Hosting;
using Aetherflow.Tui.Commands;
using System.CommandLine;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>Runs <c>aetherflow</c> commands in-process with captured output.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var host = new CliHost { Environment = new HostEnvironment(environment), WorkingDirectory = workingDirectory };
        using var output = new StringWriter();
        using var error = new StringWriter();
        ParseResult parsed = AetherflowCli.Parse(host, args);
        int exitCode = await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
