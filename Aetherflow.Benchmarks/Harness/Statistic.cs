namespace Aetherflow.Benchmarks.Harness;

/// <summary>Which statistic of a metric a target is judged on.</summary>
internal enum Statistic
{
    Median,
    P99,
    Max,
    Min,
}
