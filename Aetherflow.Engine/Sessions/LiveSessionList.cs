namespace Aetherflow.Engine.Sessions;

/// <summary>An answer from <see cref="ISessionInventory"/>: the servers that were asked and every session they hold.</summary>
/// <param name="ServerRefs">
/// Every server that answered, including those with no sessions: a registered session is only "gone" when its own
/// server answered without it.
/// </param>
/// <param name="Sessions">The sessions those servers hold.</param>
public sealed record LiveSessionList(IReadOnlyList<string> ServerRefs, IReadOnlyList<LiveSession> Sessions);
