using System.Text;
using System.Text.RegularExpressions;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// Coloured text as a row of characters with their widths and attributes: highlights filter matches and wraps lines
/// at word boundaries to a width.
/// </summary>
internal static class StyledText
{
    /// <summary>One character on screen.</summary>
    public readonly record struct Glyph(string Text, int Width, Attribute Attribute)
    {
        public bool IsSpace => Text == " ";
    }

    /// <summary>The characters of <paramref name="segments"/>, with the matches of <paramref name="highlight"/> recoloured.</summary>
    public static List<Glyph> From(IReadOnlyList<Segment> segments, Regex? highlight, Attribute highlightAttribute)
    {
        string plain = string.Concat(segments.Select(s => s.Text));
        bool[]? marked = highlight is null ? null : Marks(plain, highlight);
        var glyphs = new List<Glyph>(plain.Length);
        int offset = 0;
        foreach (Segment segment in segments)
        {
            foreach (Rune rune in segment.Text.EnumerateRunes())
            {
                bool hit = marked is not null && marked[offset];
                glyphs.Add(new Glyph(rune.ToString(), TextWidth.Of(rune), hit ? highlightAttribute : segment.Attribute));
                offset += rune.Utf16SequenceLength;
            }
        }

        return glyphs;
    }

    /// <summary>The segments of <paramref name="segments"/> with the matches of <paramref name="highlight"/> recoloured.</summary>
    public static IReadOnlyList<Segment> Highlight(IReadOnlyList<Segment> segments, Regex? highlight, Attribute highlightAttribute) =>
        highlight is null ? segments : ToSegments(From(segments, highlight, highlightAttribute), 0, int.MaxValue);

    /// <summary>Wraps the glyphs into rows of at most <paramref name="width"/> columns, breaking after spaces where it can.</summary>
    public static List<IReadOnlyList<Segment>> Wrap(List<Glyph> glyphs, int width, int indent)
    {
        var rows = new List<IReadOnlyList<Segment>>();
        width = Math.Max(1, width);
        indent = indent >= width ? 0 : indent;
        int start = 0;
        bool first = true;
        if (glyphs.Count == 0)
        {
            rows.Add([]);
            return rows;
        }

        while (start < glyphs.Count)
        {
            int pad = first ? 0 : indent;
            int room = width - pad;
            int used = 0;
            int end = start;
            int lastSpace = -1;
            while (end < glyphs.Count && used + glyphs[end].Width <= room)
            {
                if (glyphs[end].IsSpace)
                {
                    lastSpace = end;
                }

                used += glyphs[end].Width;
                end++;
            }

            int next = end;
            if (end < glyphs.Count && lastSpace > start)
            {
                end = lastSpace;
                next = lastSpace + 1;
            }
            else if (end == start)
            {
                // A character wider than the room: show it anyway rather than loop.
                end = start + 1;
                next = end;
            }

            List<Segment> row = pad > 0 ? [new Segment(new string(' ', pad), glyphs[start].Attribute)] : [];
            row.AddRange(ToSegments(glyphs, start, end));
            rows.Add(row);
            start = next;
            first = false;
        }

        return rows;
    }

    /// <summary>Groups glyphs <c>[start, end)</c> into runs of one attribute.</summary>
    public static List<Segment> ToSegments(List<Glyph> glyphs, int start, int end)
    {
        var segments = new List<Segment>();
        end = Math.Min(end, glyphs.Count);
        var text = new StringBuilder();
        Attribute? current = null;
        for (int i = start; i < end; i++)
        {
            if (current is { } attribute && attribute != glyphs[i].Attribute)
            {
                segments.Add(new Segment(text.ToString(), attribute));
                text.Clear();
            }

            current = glyphs[i].Attribute;
            text.Append(glyphs[i].Text);
        }

        if (current is { } last && text.Length > 0)
        {
            segments.Add(new Segment(text.ToString(), last));
        }

        return segments;
    }

    private static bool[] Marks(string plain, Regex highlight)
    {
        var marked = new bool[plain.Length + 1];
        try
        {
            foreach (Match match in highlight.Matches(plain))
            {
                for (int i = match.Index; i < match.Index + match.Length; i++)
                {
                    marked[i] = true;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological pattern on a long line: show the line without highlights rather than freeze.
        }

        return marked;
    }
}
