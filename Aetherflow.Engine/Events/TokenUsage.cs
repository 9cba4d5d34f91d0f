namespace Aetherflow.Engine.Events;

/// <summary>Model tokens, as opencode reports them on assistant messages.</summary>
public readonly record struct TokenUsage(long Input, long Output, long Reasoning, long CacheRead, long CacheWrite)
{
    /// <summary>Input, output and reasoning tokens together (cache reads and writes are counted separately).</summary>
    public long Total => Input + Output + Reasoning;

    /// <summary>Adds two usages field by field.</summary>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right) => new(
        left.Input + right.Input,
        left.Output + right.Output,
        left.Reasoning + right.Reasoning,
        left.CacheRead + right.CacheRead,
        left.CacheWrite + right.CacheWrite);

    /// <summary>Subtracts <paramref name="right"/> from <paramref name="left"/> field by field.</summary>
    public static TokenUsage operator -(TokenUsage left, TokenUsage right) => new(
        left.Input - right.Input,
        left.Output - right.Output,
        left.Reasoning - right.Reasoning,
        left.CacheRead - right.CacheRead,
        left.CacheWrite - right.CacheWrite);

    /// <summary>Named alternative to <c>+</c>.</summary>
    public static TokenUsage Add(TokenUsage left, TokenUsage right) => left + right;

    /// <summary>Named alternative to <c>-</c>.</summary>
    public static TokenUsage Subtract(TokenUsage left, TokenUsage right) => left - right;
}
