using System.Text.RegularExpressions;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// A <c>/</c> filter as k9s has it: a case-insensitive regular expression, or with a leading <c>!</c> the lines that
/// do not match. Text that is not a valid expression is matched literally. Matching is linear-time, so a pattern typed
/// into the filter bar can never freeze the screen on a long line.
/// </summary>
internal sealed class TextFilter
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private TextFilter(string text, bool inverse, Regex pattern, bool literal)
    {
        Text = text;
        Inverse = inverse;
        Pattern = pattern;
        Literal = literal;
    }

    /// <summary>The filter as typed, e.g. <c>!idle</c>.</summary>
    public string Text { get; }

    /// <summary>True for <c>/!…</c>: keep what does not match.</summary>
    public bool Inverse { get; }

    public Regex Pattern { get; }

    /// <summary>True when the text was not a valid expression and is matched as plain text.</summary>
    public bool Literal { get; }

    /// <summary>What to highlight in kept lines: the matches, unless the filter is inverse.</summary>
    public Regex? Highlight => Inverse ? null : Pattern;

    /// <summary>Parses what follows the <c>/</c>; null for an empty filter (no filtering).</summary>
    public static TextFilter? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        bool inverse = text.StartsWith('!');
        string pattern = inverse ? text[1..] : text;
        if (pattern.Length == 0)
        {
            return null;
        }

        if (TryCreate(pattern, out Regex? regex) && regex is not null)
        {
            return new TextFilter(text, inverse, regex, literal: false);
        }

        TryCreate(Regex.Escape(pattern), out regex);
        return new TextFilter(text, inverse, regex!, literal: true);
    }

    /// <summary>Whether a line with this text is kept.</summary>
    public bool Keeps(string text)
    {
        bool matches;
        try
        {
            matches = Pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            matches = false;
        }

        return matches != Inverse;
    }

    /// <summary>How the filter is shown in a pane title.</summary>
    public override string ToString() => "/" + Text;

    private static bool TryCreate(string pattern, out Regex? regex)
    {
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        try
        {
            regex = new Regex(pattern, options | RegexOptions.NonBacktracking, MatchTimeout);
            return true;
        }
        catch (NotSupportedException)
        {
            // Backreferences and lookarounds need the backtracking engine; the timeout bounds it.
        }
        catch (ArgumentException)
        {
            regex = null;
            return false;
        }

        try
        {
            regex = new Regex(pattern, options, MatchTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            regex = null;
            return false;
        }
    }
}
