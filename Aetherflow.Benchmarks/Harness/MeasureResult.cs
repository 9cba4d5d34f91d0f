namespace Aetherflow.Benchmarks.Harness;

/// <summary>What one measure produced: its metrics, how it was measured, and notes for the report.</summary>
internal sealed class MeasureResult
{
    public MeasureResult(IMeasure measure)
    {
        Measure = measure;
    }

    public IMeasure Measure { get; }

    public List<Metric> Metrics { get; } = [];

    /// <summary>Lines for the report below the table: setup, what is subtracted, why a target is missed.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Set when the measure could not run at all (the report says why).</summary>
    public string? Failure { get; set; }

    public Metric Add(Metric metric)
    {
        Metrics.Add(metric);
        return metric;
    }
}
