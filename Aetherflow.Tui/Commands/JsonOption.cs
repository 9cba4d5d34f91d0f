using System.CommandLine;

namespace Aetherflow.Tui.Commands;

/// <summary>The <c>--json</c> option every read command has.</summary>
internal static class JsonOption
{
    public static Option<bool> Create() => new("--json") { Description = "Print JSON (snake_case) instead of text" };
}
