using System.CommandLine;
using Aetherflow.Tui.Presentation;

namespace Aetherflow.Tui.Commands;

/// <summary>Whether a command writes to a real terminal, and the painter and width that follow from it.</summary>
internal static class Terminal
{
    public static bool IsTerminal(ParseResult result) =>
        ReferenceEquals(CommandOutput.Out(result), Console.Out) && !Console.IsOutputRedirected;

    public static Painter Painter(ParseResult result, CliHost host, GlobalOptions globals) =>
        new(host.ColorAllowed(result.GetValue(globals.NoColor), outputRedirected: !IsTerminal(result)));

    /// <summary>The terminal's width, or 0 (no cutting) when the output is not a terminal.</summary>
    public static int Width(ParseResult result)
    {
        if (!IsTerminal(result))
        {
            return 0;
        }

        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
