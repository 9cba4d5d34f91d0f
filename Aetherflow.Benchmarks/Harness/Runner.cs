using System.Diagnostics;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>Runs the selected measures one after another; a measure that fails is reported, and the rest still run.</summary>
internal sealed class Runner
{
    private readonly BenchContext context;

    public Runner(BenchContext context)
    {
        this.context = context;
    }

    public async Task<IReadOnlyList<MeasureResult>> RunAsync(IEnumerable<IMeasure> measures, CancellationToken cancellationToken)
    {
        var results = new List<MeasureResult>();
        foreach (IMeasure measure in measures)
        {
            var result = new MeasureResult(measure);
            context.Progress.WriteLine($"[{measure.Name}] {measure.Title}");
            long started = Stopwatch.GetTimestamp();
            try
            {
                await measure.RunAsync(context, result, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One broken measure must not lose the others' numbers; the report says what failed.
                result.Failure = $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
                context.Progress.WriteLine($"  FAILED: {ex}");
            }

            foreach (Metric metric in result.Metrics)
            {
                if (metric.Stats is { } stats)
                {
                    string met = metric.Met switch { true => "met", false => "NOT MET", null => string.Empty };
                    context.Progress.WriteLine($"  {metric.Name}: median {Format.Number(stats.Median)} {metric.Unit} (min {Format.Number(stats.Min)}, max {Format.Number(stats.Max)}, p99 {Format.Number(stats.Percentile(99))}, n={stats.Count}) {met}");
                }
            }

            context.Progress.WriteLine($"  ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
            results.Add(result);
        }

        return results;
    }
}
