namespace Aetherflow.Engine.Events;

/// <summary>Raised by <see cref="SessionEventStore.Appended"/> after events were stored and became readable.</summary>
public sealed class SessionEventsAppendedEventArgs : EventArgs
{
    internal SessionEventsAppendedEventArgs(string sessionId, IReadOnlyList<SessionEvent> events)
    {
        SessionId = sessionId;
        Events = events;
    }

    /// <summary>The session the events belong to.</summary>
    public string SessionId { get; }

    /// <summary>The new events, in sequence order, without gaps.</summary>
    public IReadOnlyList<SessionEvent> Events { get; }
}
