namespace Aetherflow.Engine.Events;

/// <summary>One page of a cursor read (<see cref="SessionEventStore.Read"/>).</summary>
/// <param name="Events">Events after the cursor, in sequence order (at most the limit asked for).</param>
/// <param name="NextCursor">Pass this as the next read's cursor: the last returned sequence, or the cursor itself when nothing was returned.</param>
/// <param name="LastSequence">The newest sequence of the session right now.</param>
/// <param name="FellBehind">
/// True when events right after the cursor are no longer in memory (evicted by the bounds, or older than the journal);
/// <see cref="Events"/> then starts at the oldest event still held.
/// </param>
/// <param name="CursorReset">
/// True when the cursor was beyond <see cref="LastSequence"/>, which happens only if the engine crashed while its
/// journal could not be written; <see cref="NextCursor"/> is then <see cref="LastSequence"/>.
/// </param>
public sealed record SessionEventReadResult(
    IReadOnlyList<SessionEvent> Events,
    long NextCursor,
    long LastSequence,
    bool FellBehind,
    bool CursorReset)
{
    /// <summary>True when more events follow <see cref="NextCursor"/> (the limit cut this page short).</summary>
    public bool HasMore => NextCursor < LastSequence;
}
