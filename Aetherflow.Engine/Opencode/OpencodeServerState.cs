namespace Aetherflow.Engine.Opencode;

/// <summary>The life of a managed opencode server.</summary>
public enum OpencodeServerState
{
    /// <summary>Not started yet.</summary>
    NotStarted,

    /// <summary>The process is starting; not yet healthy.</summary>
    Starting,

    /// <summary>Listening and healthy.</summary>
    Running,

    /// <summary>It exited unexpectedly and is about to be started again (after a backoff).</summary>
    Restarting,

    /// <summary>Stopped on request.</summary>
    Stopped,

    /// <summary>It kept failing and supervision gave up.</summary>
    Failed,
}
