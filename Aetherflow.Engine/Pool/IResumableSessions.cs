namespace Aetherflow.Engine.Pool;

/// <summary>Finds the session an earlier agent on the same work used, so a reclaimed task continues its conversation.</summary>
public interface IResumableSessions
{
    /// <summary>The newest resumable session id for <paramref name="workId"/>, or null.</summary>
    Task<string?> FindAsync(string workId, CancellationToken cancellationToken);
}
