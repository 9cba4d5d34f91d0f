namespace Aetherflow.Engine.Events;

/// <summary>How a session's turn ended, judged when it went idle after being busy.</summary>
public enum SessionOutcomeKind
{
    /// <summary>The last assistant message finished with <c>finish: "stop"</c> and no error.</summary>
    Succeeded,

    /// <summary>A session or message error, or a finish other than <c>stop</c> (e.g. <c>length</c>).</summary>
    Failed,

    /// <summary>The turn was aborted (<c>MessageAbortedError</c>).</summary>
    Aborted,

    /// <summary>
    /// Idle, but the final assistant message was not seen (its last <c>finish</c> is <c>tool-calls</c> or missing):
    /// events were probably lost. Fetch the session's messages (<see cref="Opencode.Events.OpencodeBackfill"/>) and feed
    /// the new ones; the outcome is judged again.
    /// </summary>
    Incomplete,

    /// <summary>The session was deleted.</summary>
    Deleted,
}
