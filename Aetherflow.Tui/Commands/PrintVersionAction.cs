using System.CommandLine;
using System.CommandLine.Invocation;
using Aetherflow.Engine.Hosting;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>--version</c> prints aetherflow's build version. (The default prints the entry assembly's version, which is the
/// test host's when commands run in-process.)
/// </summary>
internal sealed class PrintVersionAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        CommandOutput.Out(parseResult).WriteLine(BuildInfo.Version);
        return ExitCodes.Success;
    }
}
