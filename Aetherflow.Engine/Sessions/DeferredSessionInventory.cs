namespace Aetherflow.Engine.Sessions;

/// <summary>
/// An inventory that becomes available later: the registry is created before the opencode server is up, and can only
/// rebuild from the server once it is. Until then a rebuild finds nothing (the registry starts empty, as documented).
/// </summary>
public sealed class DeferredSessionInventory : ISessionInventory
{
    private ISessionInventory? inner;

    /// <summary>Makes <paramref name="inventory"/> the source of live sessions from now on.</summary>
    public void Attach(ISessionInventory inventory) => Volatile.Write(ref inner, inventory);

    public Task<LiveSessionList> ListLiveSessionsAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref inner) is { } inventory
            ? inventory.ListLiveSessionsAsync(cancellationToken)
            : throw new InvalidOperationException("the opencode server is not running yet, so live sessions cannot be listed");
}
