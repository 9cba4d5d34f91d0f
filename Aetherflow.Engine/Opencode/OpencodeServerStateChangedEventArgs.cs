namespace Aetherflow.Engine.Opencode;

/// <summary>A managed opencode server changed state; after a restart the engine backfills what it missed.</summary>
public sealed class OpencodeServerStateChangedEventArgs : EventArgs
{
    public required OpencodeServerState State { get; init; }

    public required OpencodeServerState PreviousState { get; init; }

    /// <summary>Why (an exit code and the server's last output, a start failure), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>How many times the server was restarted so far.</summary>
    public int Restarts { get; init; }

    /// <summary>For <see cref="OpencodeServerState.Restarting"/>: how long until the next start.</summary>
    public TimeSpan? RetryIn { get; init; }

    /// <summary>Where the server listens (it keeps its port across restarts when it can).</summary>
    public Uri? BaseAddress { get; init; }
}
