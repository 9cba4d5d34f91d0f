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

    /// <summary>Token counts like <c>950</c>, <c>12.3k</c>, <c>4.1M</c>.</summary>
    public static string Count(long value) => value switch
    {
        < 1_000 => value.ToString(CultureInfo.InvariantCulture),
        < 1_000_000 => (value / 1_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => (value / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "M",
    };
}
