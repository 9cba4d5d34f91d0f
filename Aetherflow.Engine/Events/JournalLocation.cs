namespace Aetherflow.Engine.Events;

/// <summary>Where an event's payload lies in its journal: <paramref name="Length"/> bytes at <paramref name="Offset"/> of <paramref name="Segment"/>.</summary>
internal readonly record struct JournalLocation(JournalSegment Segment, long Offset, int Length);
