namespace Aetherflow.Engine.Opencode.Events;

/// <summary>What an opencode event is to the engine, decided by <see cref="OpencodeEventParser"/>.</summary>
public enum OpencodeEventKind
{
    /// <summary>Belongs to a session and is stored in that session's history (ring buffer and journal).</summary>
    Session,

    /// <summary>
    /// Belongs to a session but is not stored: high-volume or bulky events (<c>message.part.delta</c> token streaming,
    /// <c>session.diff</c>, the experimental <c>session.next.*</c> stream). Feed them to the agent's state tracker only.
    /// </summary>
    Transient,

    /// <summary>Has no session: server, instance, project, file-watcher and plugin events.</summary>
    Global,

    /// <summary>The stream's own keep-alive: <c>server.connected</c> and <c>server.heartbeat</c>.</summary>
    Connection,

    /// <summary>
    /// A durable <c>sync</c> record (<c>syncEvent</c> with a per-aggregate <c>seq</c>) from <c>/global/event</c>. It
    /// repeats a bus event that arrives on its own, so it is not stored; its session is the aggregate when that is one.
    /// </summary>
    Sync,

    /// <summary>The hello (<c>af.plugin.loaded</c>) an aetherflow forwarder plugin sends when it connects.</summary>
    PluginHello,
}
