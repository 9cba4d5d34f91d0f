namespace Aetherflow.Engine.Api;

/// <summary>
/// One scheduling decision, including decisions not to act (pool full, paused, backoff pending), with its reason —
/// so the dashboard and scripts can say why something did or did not happen.
/// </summary>
public sealed record EngineDecision
{
    public DateTimeOffset At { get; init; }

    /// <summary>A short machine-readable kind, e.g. <c>spawn</c>, <c>skip</c>, <c>respawn</c>, <c>mode</c>.</summary>
    public required string Kind { get; init; }

    public string? TaskId { get; init; }

    public string? Agent { get; init; }

    /// <summary>The reason in plain words.</summary>
    public required string Message { get; init; }
}
