using System.Globalization;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// A goal for one metric: its <see cref="Statistic"/> must be at least, or at most (or, <see cref="Strict"/>, below),
/// <see cref="Value"/>.
/// </summary>
internal sealed record Target(Statistic Statistic, bool AtLeast, double Value, bool Strict = false)
{
    public static Target Min(double value, Statistic statistic = Statistic.Median) => new(statistic, AtLeast: true, value);

    public static Target Max(double value, Statistic statistic = Statistic.Median) => new(statistic, AtLeast: false, value);

    public static Target Below(double value, Statistic statistic = Statistic.Median) => new(statistic, AtLeast: false, value, Strict: true);

    public bool IsMet(Stats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        double actual = stats.Of(Statistic);
        return AtLeast ? actual >= Value : Strict ? actual < Value : actual <= Value;
    }

    public string Describe(string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{StatisticName(Statistic)} {(AtLeast ? "≥" : Strict ? "<" : "≤")} {Format.Number(Value)} {unit}").Trim();

    internal static string StatisticName(Statistic statistic) => statistic switch
    {
        Statistic.Median => "median",
        Statistic.P99 => "p99",
        Statistic.Max => "max",
        Statistic.Min => "min",
        _ => statistic.ToString(),
    };
}
