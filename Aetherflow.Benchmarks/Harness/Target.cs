using System.Globalization;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>A goal for one metric: its <see cref="Statistic"/> must be at least, or at most, <see cref="Value"/>.</summary>
internal sealed record Target(Statistic Statistic, bool AtLeast, double Value)
{
    public static Target Min(double value, Statistic statistic = Statistic.Median) => new(statistic, AtLeast: true, value);

    public static Target Max(double value, Statistic statistic = Statistic.Median) => new(statistic, AtLeast: false, value);

    public bool IsMet(Stats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        double actual = stats.Of(Statistic);
        return AtLeast ? actual >= Value : actual <= Value;
    }

    public string Describe(string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{StatisticName(Statistic)} {(AtLeast ? "≥" : "≤")} {Format.Number(Value)} {unit}").Trim();

    internal static string StatisticName(Statistic statistic) => statistic switch
    {
        Statistic.Median => "median",
        Statistic.P99 => "p99",
        Statistic.Max => "max",
        Statistic.Min => "min",
        _ => statistic.ToString(),
    };
}
