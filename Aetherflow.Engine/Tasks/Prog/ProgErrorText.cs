using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>
/// Reads prog's error output. prog (cobra) writes <c>Error: &lt;message&gt;</c>, a usage block and the message again to
/// stderr; only the first line matters, and the known messages below are stable substrings of prog's errors.
/// </summary>
internal static class ProgErrorText
{
    private const string ErrorPrefix = "Error: ";
    private const int MaxMessageLength = 500;

    /// <summary>The one-line message of a failed call: the first stderr line without <c>Error: </c>, made safe to print.</summary>
    public static string Message(ProgResult result)
    {
        string? line = FirstLine(result.StandardError) ?? FirstLine(result.StandardOutput);
        if (line is null)
        {
            return $"exited with code {result.ExitCode} without a message";
        }

        if (line.StartsWith(ErrorPrefix, StringComparison.Ordinal))
        {
            line = line[ErrorPrefix.Length..];
        }

        return TerminalText.Truncate(TerminalText.SanitizeLine(line).Trim(), MaxMessageLength);
    }

    /// <summary>Another prog process held the database's write lock for longer than prog's 5 s busy timeout.</summary>
    public static bool IsLocked(string message) => message.Contains("database is locked", StringComparison.OrdinalIgnoreCase);

    public static bool IsNotFound(string message) => message.Contains("item not found", StringComparison.Ordinal);

    /// <summary><c>prog log</c> with an unknown id fails only on the foreign key of the log row.</summary>
    public static bool IsForeignKeyFailure(string message) => message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal);

    /// <summary>Every command but <c>init</c> migrates the database first, which fails on a file without prog's schema.</summary>
    public static bool IsNotInitialised(string message) =>
        message.Contains("no such table: items", StringComparison.Ordinal) || message.StartsWith("migration failed", StringComparison.Ordinal);

    /// <summary>The first line with any text, or null.</summary>
    public static string? FirstLine(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                return line.TrimEnd('\r');
            }
        }

        return null;
    }
}
