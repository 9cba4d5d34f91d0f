using System.Text;

namespace Aetherflow.Engine.Text;

/// <summary>
/// Makes untrusted text (agent output, task titles, tool inputs) safe to put on a terminal: removes escape sequences
/// (CSI, OSC, DCS, PM, APC, SOS, two-character ESC) and control characters, so nothing an agent writes can move the
/// cursor, recolour the screen, set the window title or write to the clipboard. Sanitise first, then truncate.
/// </summary>
public static class TerminalText
{
    private const char Esc = '\u001b';

    /// <summary>Removes escape sequences and controls, keeping TAB and LF.</summary>
    public static string Sanitize(string? text) => Clean(text, singleLine: false);

    /// <summary>Like <see cref="Sanitize"/>, and also turns TAB, CR and LF into spaces: for one-line cells.</summary>
    public static string SanitizeLine(string? text) => Clean(text, singleLine: true);

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxLength"/> characters, ending with "…" when cut.</summary>
    public static string Truncate(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxLength)
        {
            return text;
        }

        if (maxLength <= 1)
        {
            return maxLength == 1 ? "…" : string.Empty;
        }

        int cut = maxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    private static string Clean(string? text, bool singleLine)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!NeedsCleaning(text, singleLine))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == Esc)
            {
                i = SkipEscape(text, i);
            }
            else if (c is '\u009b')
            {
                i = SkipCsi(text, i + 1);
            }
            else if (c is '\u009d' or '\u0090' or '\u009e' or '\u009f' or '\u0098')
            {
                i = SkipString(text, i + 1);
            }
            else if (c is '\t' or '\n' or '\r')
            {
                if (singleLine)
                {
                    result.Append(' ');
                }
                else if (c != '\r')
                {
                    result.Append(c);
                }
            }
            else if (!char.IsControl(c) && c is not ('\u2028' or '\u2029' or '\u202e' or '\u202d' or '\u202a' or '\u202b' or '\u202c'))
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    private static bool NeedsCleaning(string text, bool singleLine)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c) && (singleLine || c is not ('\t' or '\n')))
            {
                return true;
            }

            if (c is '\u2028' or '\u2029' or '\u202e' or '\u202d' or '\u202a' or '\u202b' or '\u202c')
            {
                return true;
            }
        }

        return false;
    }

    // Returns the index of the last character of the escape sequence that starts at text[start] == ESC.
    private static int SkipEscape(string text, int start)
    {
        if (start + 1 >= text.Length)
        {
            return start;
        }

        char next = text[start + 1];
        return next switch
        {
            '[' => SkipCsi(text, start + 2),
            ']' or 'P' or 'X' or '^' or '_' => SkipString(text, start + 2),
            _ => start + 1,
        };
    }

    // CSI: parameter and intermediate bytes, then one final byte in 0x40..0x7E.
    private static int SkipCsi(string text, int index)
    {
        for (int i = index; i < text.Length; i++)
        {
            if (text[i] is >= '\u0040' and <= '\u007e')
            {
                return i;
            }
        }

        return text.Length - 1;
    }

    // OSC/DCS/PM/APC/SOS: up to BEL or ST (ESC \ or 0x9C).
    private static int SkipString(string text, int index)
    {
        for (int i = index; i < text.Length; i++)
        {
            if (text[i] is '\u0007' or '\u009c')
            {
                return i;
            }

            if (text[i] == Esc && i + 1 < text.Length && text[i + 1] == '\\')
            {
                return i + 1;
            }
        }

        return text.Length - 1;
    }
}
