using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Sessions;

/// <summary>
/// Keeps the session registry honest: every interval, records whose session the live server no longer has are marked
/// <c>stale</c>, and stale or terminated records older than the retention are removed (active ones never are).
/// </summary>
public sealed class SessionHousekeeping
{
    private readonly SessionRegistry registry;
    private readonly ISessionInventory inventory;
    private readonly TimeSpan interval;
    private readonly TimeSpan retention;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public SessionHousekeeping(SessionRegistry registry, ISessionInventory inventory, TimeSpan interval, TimeSpan retention, TimeProvider time, ILogger logger)
    {
        this.registry = registry;
        this.inventory = inventory;
        this.interval = interval;
        this.retention = retention;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Runs one pass now, then one every interval, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                int stale = await registry.MarkStaleAsync(inventory, cancellationToken).ConfigureAwait(false);
                int removed = await registry.SweepAsync(retention, cancellationToken).ConfigureAwait(false);
                if (stale + removed > 0)
                {
                    logger.LogInformation("Session registry: {Stale} record(s) marked stale, {Removed} old record(s) removed", stale, removed);
                }
            }
            catch (Exception ex) when (ex is SessionRegistryException or InvalidOperationException or Opencode.OpencodeApiException)
            {
                logger.LogWarning("Session registry housekeeping failed: {Error}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
