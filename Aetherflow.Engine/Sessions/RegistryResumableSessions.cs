using Aetherflow.Engine.Pool;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Sessions;

/// <summary>Finds the session to resume for a piece of work in the session registry (newest active or idle record).</summary>
public sealed class RegistryResumableSessions : IResumableSessions
{
    private readonly SessionRegistry registry;
    private readonly ILogger logger;

    public RegistryResumableSessions(SessionRegistry registry, ILogger logger)
    {
        this.registry = registry;
        this.logger = logger;
    }

    public async Task<string?> FindAsync(string workId, CancellationToken cancellationToken)
    {
        try
        {
            return (await registry.FindResumableAsync(workId, cancellationToken).ConfigureAwait(false))?.SessionId;
        }
        catch (SessionRegistryException ex)
        {
            // Without the registry the task still runs, in a new session.
            logger.LogWarning("Could not look up a session to resume for {Work}: {Error}", workId, ex.Message);
            return null;
        }
    }
}
