namespace Aetherflow.Benchmarks.Harness;

/// <summary>What every measure gets: quick or full mode, where to put temporary files, and how to report progress.</summary>
internal sealed class BenchContext
{
    public BenchContext(bool quick, string repositoryRoot, string aetherflowExecutable, TextWriter progress)
    {
        Quick = quick;
        RepositoryRoot = repositoryRoot;
        AetherflowExecutable = aetherflowExecutable;
        Progress = progress;
    }

    /// <summary>Few repetitions and small sizes: a smoke run, not numbers to publish.</summary>
    public bool Quick { get; }

    /// <summary>The checkout (for tools such as <c>.tools/opencode</c>).</summary>
    public string RepositoryRoot { get; }

    /// <summary>The built <c>aetherflow</c> executable the process measures start.</summary>
    public string AetherflowExecutable { get; }

    public TextWriter Progress { get; }

    public TimeProvider Time { get; } = TimeProvider.System;

    /// <summary>Repetitions to run: <paramref name="full"/>, or 1 in quick mode.</summary>
    public int Repetitions(int full) => Quick ? 1 : full;

    /// <summary>A size: <paramref name="full"/>, or a tenth of it (at least 1) in quick mode.</summary>
    public int Size(int full) => Quick ? Math.Max(1, full / 10) : full;

    public void Log(string message) => Progress.WriteLine($"  {message}");
}
