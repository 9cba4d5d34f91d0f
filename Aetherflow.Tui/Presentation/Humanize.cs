using System.Globalization;

namespace Aetherflow.Tui.Presentation;

/// <summary>Short human-readable forms of durations and numbers for tables.</summary>
internal static class Humanize
{
    /// <summary>Uptime like <c>42s</c>, <c>12m</c>, <c>3h</c>, <c>3h05m</c>, <c>2d4h</c>; <c>-</c> for a negative span.</summary>
    public static string Uptime(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-";
        }

        return span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds}s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes}m"
            : span.TotalHours < 24 ? (span.Minutes == 0 ? $"{(int)span.TotalHours}h" : $"{(int)span.TotalHours}h{span.Minutes:00}m")
            : $"{(int)span.TotalDays}d{span.Hours}h";
    }

    /// <summary>A duration in milliseconds like <c>850ms</c>, <c>4.2s</c>, <c>2m05s</c>.</summary>
    public static string Milliseconds(long ms) => ms switch
    {
        < 1_000 => $"{Math.Max(0, ms)}ms",
        < 60_000 => (ms / 1_000.0).ToString("0.0", CultureInfo.InvariantCulture) + "s",
        _ => $"{ms / 60_000}m{ms / 1_000 % 60:00}s",
    };

    /// <summary>Token counts like <c>950</c>, <c>12.3k</c>, <c>4.1M</c>.</summary>
    public static string Count(long value) => value switch
    {
        < 1_000 => value.ToString(CultureInfo.InvariantCulture),
        < 1_000_000 => (value / 1_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => (value / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "M",
    };
}
