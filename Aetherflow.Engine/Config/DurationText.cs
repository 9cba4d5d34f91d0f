using System.Globalization;
using System.Text;

namespace Aetherflow.Engine.Config;

/// <summary>Parses and formats durations written like <c>500ms</c>, <c>10s</c>, <c>2m</c> or <c>1h30m</c>.</summary>
public static class DurationText
{
    /// <summary>What a valid duration looks like, for error messages.</summary>
    public const string Expected = "expected e.g. 500ms, 10s, 2m, 1h30m";

    /// <summary>Parses <paramref name="text"/>; returns false for anything that is not a sequence of number+unit pairs.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text.AsSpan().Trim();
        long totalMilliseconds = 0;
        while (!rest.IsEmpty)
        {
            int digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits == 0 || digits > 9)
            {
                return false;
            }

            long number = long.Parse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture);
            rest = rest[digits..];
            long unit;
            if (rest.StartsWith("ms", StringComparison.Ordinal))
            {
                unit = 1;
                rest = rest[2..];
            }
            else if (!rest.IsEmpty && rest[0] is 's' or 'm' or 'h' or 'd')
            {
                unit = rest[0] switch { 's' => 1_000, 'm' => 60_000, 'h' => 3_600_000, _ => 86_400_000 };
                rest = rest[1..];
            }
            else
            {
                return false;
            }

            totalMilliseconds += number * unit;
        }

        duration = TimeSpan.FromMilliseconds(totalMilliseconds);
        return true;
    }

    /// <summary>Formats a duration in the same notation, e.g. 90 s becomes <c>1m30s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        long ms = (long)duration.TotalMilliseconds;
        Append(ref ms, 86_400_000, "d", text);
        Append(ref ms, 3_600_000, "h", text);
        Append(ref ms, 60_000, "m", text);
        Append(ref ms, 1_000, "s", text);
        Append(ref ms, 1, "ms", text);
        return text.ToString();
    }

    private static void Append(ref long ms, long unit, string suffix, StringBuilder text)
    {
        if (ms >= unit)
        {
            text.Append(CultureInfo.InvariantCulture, $"{ms / unit}{suffix}");
            ms %= unit;
        }
    }
}
