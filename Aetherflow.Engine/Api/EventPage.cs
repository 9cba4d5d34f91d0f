namespace Aetherflow.Engine.Api;

/// <summary>A page of an agent's event stream, read by sequence cursor.</summary>
public sealed record EventPage
{
    /// <summary>The session the events belong to, when the agent has one.</summary>
    public string? SessionId { get; init; }

    /// <summary>Displayable events after the cursor, oldest first.</summary>
    public IReadOnlyList<EventLine> Events { get; init; } = [];

    /// <summary>Pass this as <c>after_sequence</c> to continue.</summary>
    public long NextCursor { get; init; }

    /// <summary>True when more events follow at once.</summary>
    public bool HasMore { get; init; }

    /// <summary>True when events between the cursor and the first returned one were evicted from memory.</summary>
    public bool FellBehind { get; init; }
}
