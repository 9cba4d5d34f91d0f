namespace Aetherflow.Engine.Events;

/// <summary>Settings of an <see cref="AgentStateTracker"/>.</summary>
public sealed record AgentStateTrackerOptions
{
    /// <summary>
    /// A busy session with no event for this long is <see cref="Api.AgentActivity.Hung"/> (config key
    /// <c>hang_timeout</c>); <see cref="TimeSpan.Zero"/> turns hang detection off. A silent long-running tool (a build, a
    /// test run) also produces no events, so keep this well above the longest expected command.
    /// </summary>
    public TimeSpan HangTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many tool calls are kept (the newest).</summary>
    public int MaxToolCalls { get; init; } = 50;

    /// <summary>How much of the latest assistant text is kept (its end).</summary>
    public int MaxTextLength { get; init; } = 2000;
}
