namespace Aetherflow.Benchmarks.Harness;

/// <summary>One benchmark: a name for <c>--only</c>, a title and description for the report, and the run.</summary>
internal interface IMeasure
{
    /// <summary>Short id, e.g. <c>ingest-socket</c>.</summary>
    string Name { get; }

    /// <summary>Heading in the report.</summary>
    string Title { get; }

    /// <summary>One paragraph: what is measured and how.</summary>
    string Description { get; }

    /// <summary>Runs warm-up and repetitions (per <paramref name="context"/>) and fills <paramref name="result"/>.</summary>
    Task RunAsync(BenchContext context, MeasureResult result, CancellationToken cancellationToken);
}
