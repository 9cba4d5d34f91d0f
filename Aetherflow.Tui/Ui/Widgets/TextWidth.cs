using System.Text;
using Terminal.Gui.Text;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>Widths in terminal columns (wide characters take two), and cutting text to a width with an ellipsis.</summary>
internal static class TextWidth
{
    /// <summary>How many columns <paramref name="text"/> takes.</summary>
    public static int Of(string text)
    {
        // Almost all the dashboard shows is printable ASCII, one column a character: the width lookup per character
        // was a tenth of the time spent on each change to a table.
        if (!text.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            return text.Length;
        }

        int columns = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            columns += Of(rune);
        }

        return columns;
    }

    /// <summary>How many columns one character takes (control and zero-width characters take none).</summary>
    public static int Of(Rune rune) => Math.Max(0, rune.GetColumns());

    /// <summary>
    /// Cuts <paramref name="text"/> to at most <paramref name="width"/> columns, ending with "…" when cut; never
    /// splits a character.
    /// </summary>
    public static string Fit(string text, int width)
    {
        if (width <= 0)
        {
            return string.Empty;
        }

        if (Of(text) <= width)
        {
            return text;
        }

        var builder = new StringBuilder();
        int used = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            int w = Of(rune);
            if (used + w > width - 1)
            {
                break;
            }

            builder.Append(rune.ToString());
            used += w;
        }

        return builder.Append('…').ToString();
    }

    /// <summary>Cuts or pads <paramref name="text"/> to exactly <paramref name="width"/> columns.</summary>
    public static string Pad(string text, int width, bool right = false)
    {
        string fitted = Fit(text, width);
        int gap = width - Of(fitted);
        if (gap <= 0)
        {
            return fitted;
        }

        return right ? new string(' ', gap) + fitted : fitted + new string(' ', gap);
    }
}
