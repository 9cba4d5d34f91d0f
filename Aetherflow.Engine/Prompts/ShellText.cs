namespace Aetherflow.Engine.Prompts;

/// <summary>Puts values into the shell commands that prompts show, so an agent can run them as written.</summary>
internal static class ShellText
{
    /// <summary>
    /// <paramref name="value"/> as one shell word: unchanged when it holds only characters no shell interprets,
    /// otherwise in single quotes.
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool plain = value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ',' or ':' or '@' or '%');
        return plain ? value : "'" + value.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }
}
