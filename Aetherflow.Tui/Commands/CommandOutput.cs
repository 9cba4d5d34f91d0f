using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Aetherflow.Tui.Commands;

/// <summary>Writes a command's results and errors through the invocation's writers, so tests can capture them.</summary>
internal static class CommandOutput
{
    public static TextWriter Out(ParseResult result) => result.InvocationConfiguration.Output;

    public static TextWriter Error(ParseResult result) => result.InvocationConfiguration.Error;

    /// <summary>Prints <c>aetherflow: message</c> on stderr and returns <paramref name="exitCode"/>.</summary>
    public static int Fail(ParseResult result, string message, int exitCode = ExitCodes.Failure)
    {
        Error(result).WriteLine($"aetherflow: {message}");
        return exitCode;
    }

    /// <summary>Prints one JSON document on stdout, typically <c>CliJson.Indented.&lt;type&gt;</c> (snake_case, indented).</summary>
    public static void Json<T>(ParseResult result, T value, JsonTypeInfo<T> type) =>
        Out(result).WriteLine(JsonSerializer.Serialize(value, type));
}
