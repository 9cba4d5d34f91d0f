namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// One measured quantity: its samples (one per repetition, or every observation pooled for latencies), the unit, and
/// an optional target. <see cref="ShowP99"/> adds the 99th percentile column where the target is a percentile.
/// </summary>
internal sealed class Metric
{
    public Metric(string name, string unit, Target? target = null, bool showP99 = false)
    {
        Name = name;
        Unit = unit;
        Target = target;
        ShowP99 = showP99 || target?.Statistic == Statistic.P99;
    }

    public string Name { get; }

    public string Unit { get; }

    public Target? Target { get; }

    public bool ShowP99 { get; }

    public List<double> Samples { get; } = [];

    public void Add(double sample) => Samples.Add(sample);

    public void AddRange(IEnumerable<double> samples) => Samples.AddRange(samples);

    public Stats? Stats => Samples.Count == 0 ? null : new Stats(Samples);

    /// <summary>True/false when there is a target and samples; null otherwise.</summary>
    public bool? Met => Target is { } target && Stats is { } stats ? target.IsMet(stats) : null;
}
