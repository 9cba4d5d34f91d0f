namespace Aetherflow.Engine.Events;

/// <summary>What <see cref="SessionJournal.Load(Action{SessionEvent})"/> found on disk.</summary>
/// <param name="EventCount">Events restored (handed to the callback).</param>
/// <param name="FirstSequence">The lowest restored sequence, 0 when none.</param>
/// <param name="LastSequence">The highest restored sequence, 0 when none: the session continues after it.</param>
/// <param name="SkippedLines">Lines that could not be read (truncated, corrupt or out of order) and were skipped.</param>
/// <param name="Warnings">One line per problem, each naming the file.</param>
public sealed record JournalLoadResult(
    int EventCount,
    long FirstSequence,
    long LastSequence,
    int SkippedLines,
    IReadOnlyList<string> Warnings);
