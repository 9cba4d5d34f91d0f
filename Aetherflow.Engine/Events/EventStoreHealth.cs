namespace Aetherflow.Engine.Events;

/// <summary>How the event store is doing, for the engine's warnings and <c>status</c>.</summary>
/// <param name="IsDegraded">True while at least one journal cannot be written (events are then kept in memory only).</param>
/// <param name="Warnings">Current journal problems first, then the most recent other warnings; one line each.</param>
/// <param name="OversizedPayloads">Payloads over the cap that were replaced by an <c>{"oversized":…}</c> marker.</param>
/// <param name="UnwrittenEvents">Events published without being journaled because a journal was degraded.</param>
/// <param name="SessionsInMemory">Sessions currently held in memory.</param>
public sealed record EventStoreHealth(
    bool IsDegraded,
    IReadOnlyList<string> Warnings,
    long OversizedPayloads,
    long UnwrittenEvents,
    int SessionsInMemory);
