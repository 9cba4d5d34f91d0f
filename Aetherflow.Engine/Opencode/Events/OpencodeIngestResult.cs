namespace Aetherflow.Engine.Opencode.Events;

/// <summary>What <see cref="OpencodeEventPump.Ingest(OpencodeEvent)"/> did with an event.</summary>
public enum OpencodeIngestResult
{
    /// <summary>Stored (when it is a stored kind) and applied to the session's tracker.</summary>
    Added,

    /// <summary>Already seen (from the event stream, backfill or an earlier push); dropped.</summary>
    Duplicate,

    /// <summary>The event's session is not one the engine tracks (another engine's, a person's, a subagent's); dropped.</summary>
    Untracked,

    /// <summary>Not a per-session event (server, project, file watcher, sync records, the plugin hello); dropped.</summary>
    NotSessionEvent,
}
