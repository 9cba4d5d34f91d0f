using Aetherflow.Engine.Api;
using Aetherflow.Engine.Runtimes;

namespace Aetherflow.Engine.Events;

/// <summary>What one agent session is doing, derived from its events by <see cref="AgentStateTracker"/>. Immutable.</summary>
public sealed record AgentStateSnapshot
{
    /// <summary>The session.</summary>
    public required string SessionId { get; init; }

    /// <summary>Increases with every change: a listener that gets snapshots out of order keeps the highest.</summary>
    public long Version { get; init; }

    /// <summary>
    /// <see cref="AgentActivity.Starting"/> (no event yet), <see cref="AgentActivity.Busy"/>,
    /// <see cref="AgentActivity.Idle"/>, <see cref="AgentActivity.Retrying"/>,
    /// <see cref="AgentActivity.WaitingForPermission"/> or <see cref="AgentActivity.Hung"/>.
    /// </summary>
    public AgentActivity Activity { get; init; } = AgentActivity.Starting;

    /// <summary>The retry in progress, while <see cref="Activity"/> is <see cref="AgentActivity.Retrying"/>.</summary>
    public RetryInfo? Retry { get; init; }

    /// <summary>Permission and question requests not answered yet.</summary>
    public int PendingRequests { get; init; }

    /// <summary>The newest tool calls (bounded), oldest first, each in its latest state.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>Tokens of all assistant messages, each message counted once.</summary>
    public TokenUsage Tokens { get; init; }

    /// <summary>Cost of all assistant messages in US dollars, each message counted once.</summary>
    public double Cost { get; init; }

    /// <summary>The latest session or message error, one sanitised line.</summary>
    public string? LastError { get; init; }

    /// <summary>The latest assistant text (its end, if long), sanitised; grows with streamed deltas.</summary>
    public string? LastText { get; init; }

    /// <summary>When the engine received the latest event of the session.</summary>
    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>How the turn ended, once the session went idle after being busy; null while it runs.</summary>
    public SessionOutcome? Outcome { get; init; }

    /// <summary>True once <see cref="Outcome"/> is known.</summary>
    public bool IsTerminal => Outcome is not null;

    /// <summary>The latest tool call as <c>tool: label</c>, for one-line views.</summary>
    public string? LastTool => ToolCalls.Count == 0 ? null : ToolCalls[^1].Summary;

    /// <summary>Copies this state into an agent runtime's status (what the pool shows), keeping the status's other fields (pid).</summary>
    public AgentRuntimeStatus ApplyTo(AgentRuntimeStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status with
        {
            Activity = Activity,
            SessionId = SessionId,
            LastEventAt = LastEventAt,
            LastTool = LastTool,
            InputTokens = Tokens.Input,
            OutputTokens = Tokens.Output,
            Cost = Cost,
            LastError = LastError,
        };
    }
}
