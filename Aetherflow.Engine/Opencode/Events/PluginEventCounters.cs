namespace Aetherflow.Engine.Opencode.Events;

/// <summary>What a <see cref="PluginEventReceiver"/> has received so far.</summary>
public sealed record PluginEventCounters
{
    /// <summary>Every <c>session.event</c> notification, valid or not (hellos included).</summary>
    public long Received { get; init; }

    /// <summary>Events of tracked sessions that were new: stored and applied.</summary>
    public long Added { get; init; }

    /// <summary>Events of tracked sessions already seen from the event stream or backfill.</summary>
    public long Duplicates { get; init; }

    /// <summary>Events of sessions this engine does not track.</summary>
    public long Untracked { get; init; }

    /// <summary>Hellos, server-wide events, and events of a refused plugin.</summary>
    public long Ignored { get; init; }

    /// <summary>Notifications that were not an event (bad params, no type, an invalid session id…).</summary>
    public long Invalid { get; init; }

    /// <summary>Events the plugin numbered but never delivered (its queue overflowed, or one was too large).</summary>
    public long Lost { get; init; }

    /// <summary>Events of a burst handed by the connection's read loop to one of its lanes (threads apart from the read loop).</summary>
    public long OnLanes { get; init; }

    /// <summary>Plugin connections open now.</summary>
    public int ActiveFeeds { get; init; }
}
