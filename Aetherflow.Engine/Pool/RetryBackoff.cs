namespace Aetherflow.Engine.Pool;

/// <summary>
/// Exponential backoff with "equal jitter": the n-th respawn waits between half and all of
/// <c>min(max, base × 2^(n-1))</c>, so a crash loop slows down quickly and many agents failing together do not
/// come back in lockstep.
/// </summary>
public sealed class RetryBackoff
{
    private readonly TimeSpan initial;
    private readonly TimeSpan maximum;
    private readonly Random random;
    private readonly Lock gate = new();

    public RetryBackoff(TimeSpan initial, TimeSpan maximum, Random random)
    {
        this.initial = initial;
        this.maximum = maximum < initial ? initial : maximum;
        this.random = random;
    }

    /// <summary>The upper bound of the delay before respawn number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        double factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        double milliseconds = Math.Min(maximum.TotalMilliseconds, initial.TotalMilliseconds * factor);
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>The delay before respawn number <paramref name="attempt"/>: in [ceiling/2, ceiling].</summary>
    public TimeSpan Delay(int attempt)
    {
        TimeSpan ceiling = Ceiling(attempt);
        double jitter;
        lock (gate)
        {
            jitter = random.NextDouble();
        }

        return TimeSpan.FromMilliseconds((ceiling.TotalMilliseconds / 2) * (1 + jitter));
    }
}
