using System.CommandLine;

namespace Aetherflow.Tui.Commands;

/// <summary>The <c>--json</c> option every read command has.</summary>
internal static class JsonOption
{
    public static Option<bool> Create(string description = "Print JSON (snake_case) instead of text") => new("--json") { Description = description };
}
