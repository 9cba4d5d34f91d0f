using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Rpc;

/// <summary>The params of <c>status.changed</c>: <c>{"snapshot": EngineSnapshot}</c>.</summary>
public sealed record StatusChangedParams(EngineSnapshot Snapshot);

/// <summary>
/// The params of <c>agent.events</c>: <c>{"agent", "session_id", "last_sequence", "events", "fell_behind"}</c>, where
/// <c>events</c> and <c>fell_behind</c> are left out (null) for a subscriber that asked for sequence numbers only.
/// </summary>
public sealed record AgentEventsParams
{
    public required string Agent { get; init; }

    public string? SessionId { get; init; }

    public long LastSequence { get; init; }

    /// <summary>The new events, formatted; null when the subscriber asked for sequence numbers only.</summary>
    public IReadOnlyList<EventLine>? Events { get; init; }

    /// <summary>Whether events the subscriber had not read left memory before they could be sent; null with <see cref="Events"/>.</summary>
    public bool? FellBehind { get; init; }
}

/// <summary>The params of <c>subscription.dropped</c>: <c>{"reason", "topics"}</c>.</summary>
public sealed record SubscriptionDroppedParams(string Reason, IReadOnlyList<string> Topics);
