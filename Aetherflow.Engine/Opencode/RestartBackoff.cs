namespace Aetherflow.Engine.Opencode;

/// <summary>Exponential restart delays: initial, doubled per consecutive failure, capped.</summary>
internal static class RestartBackoff
{
    /// <param name="attempt">0 for the first restart after a stable run.</param>
    /// <param name="initial">The first delay.</param>
    /// <param name="maximum">The cap.</param>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan maximum)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        double factor = Math.Pow(2, Math.Min(attempt, 30));
        TimeSpan delay = TimeSpan.FromTicks((long)Math.Min(initial.Ticks * factor, maximum.Ticks));
        return delay < initial ? initial : delay;
    }
}
