using System.Text;

namespace Aetherflow.Engine.Text;

/// <summary>
/// Splits a command line into words the way a POSIX shell would for plain words, single quotes, double quotes and
/// backslash escapes — and nothing else: no variables, globs or substitutions are ever expanded.
/// </summary>
public static class ShellWords
{
    /// <summary>Splits <paramref name="commandLine"/>; throws <see cref="FormatException"/> on an unterminated quote.</summary>
    public static IReadOnlyList<string> Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < commandLine.Length; i++)
        {
            char c = commandLine[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                case '\'':
                    int close = commandLine.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"unterminated single quote at position {i + 1}");
                    }

                    word.Append(commandLine, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    i = ReadDoubleQuoted(commandLine, i, word);
                    inWord = true;
                    break;
                case '\\' when i + 1 < commandLine.Length:
                    word.Append(commandLine[++i]);
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static int ReadDoubleQuoted(string text, int open, StringBuilder word)
    {
        for (int i = open + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
            {
                word.Append(text[++i]);
            }
            else
            {
                word.Append(c);
            }
        }

        throw new FormatException($"unterminated double quote at position {open + 1}");
    }
}
