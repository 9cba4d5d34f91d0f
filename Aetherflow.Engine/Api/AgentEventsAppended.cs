namespace Aetherflow.Engine.Api;

/// <summary>New events were recorded for an agent's session.</summary>
/// <param name="Agent">The agent's name.</param>
/// <param name="SessionId">Its session.</param>
/// <param name="LastSequence">The sequence number of the newest event.</param>
public sealed record AgentEventsAppended(string Agent, string SessionId, long LastSequence)
{
    /// <summary>The sequence number of the first of the new events (0 when unknown: assume only the newest is new).</summary>
    public long FirstSequence { get; init; }
}
