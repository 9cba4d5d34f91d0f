namespace Aetherflow.Benchmarks.Harness;

/// <summary>Order statistics of a set of samples: median, percentiles (nearest-rank), min and max.</summary>
internal sealed class Stats
{
    private readonly double[] sorted;

    public Stats(IEnumerable<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        sorted = [.. samples.Order()];
        if (sorted.Length == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }
    }

    public int Count => sorted.Length;

    public double Min => sorted[0];

    public double Max => sorted[^1];

    /// <summary>The middle sample; the mean of the two middle ones for an even count.</summary>
    public double Median => sorted.Length % 2 == 1
        ? sorted[sorted.Length / 2]
        : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>The nearest-rank percentile: the smallest sample with at least <paramref name="p"/>% of samples at or below it.</summary>
    public double Percentile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 100);
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>A statistic by kind.</summary>
    public double Of(Statistic statistic) => statistic switch
    {
        Statistic.Median => Median,
        Statistic.P99 => Percentile(99),
        Statistic.Max => Max,
        Statistic.Min => Min,
        _ => throw new ArgumentOutOfRangeException(nameof(statistic)),
    };
}
