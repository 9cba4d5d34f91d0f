namespace Aetherflow.Engine.Rpc;

/// <summary>Parameters naming one agent: <c>{"agent": "ghost_wolf"}</c>.</summary>
public sealed record AgentRequest
{
    public string Agent { get; init; } = string.Empty;
}

/// <summary>Parameters of <c>agent.steer</c>.</summary>
public sealed record SteerRequest
{
    public string Agent { get; init; } = string.Empty;

    public string Message { get; init; } = string.Empty;
}

/// <summary>Parameters of <c>spawn</c>.</summary>
public sealed record SpawnParams
{
    public string Prompt { get; init; } = string.Empty;

    /// <summary>Land the work by merging into the base branch (true) or leave it for review (false); default: the engine's <c>solo</c>.</summary>
    public bool? Solo { get; init; }

    /// <summary>
    /// True (default): the agent lives on its own. False: it belongs to this connection, and the engine stops it when
    /// the connection closes before the agent ends — like a foreground process and its terminal.
    /// </summary>
    public bool Detached { get; init; } = true;
}

/// <summary>Parameters of <c>session.attach</c>.</summary>
public sealed record SessionRequest
{
    public string SessionId { get; init; } = string.Empty;
}

/// <summary>Parameters of <c>events.unsubscribe</c>.</summary>
public sealed record UnsubscribeRequest
{
    /// <summary>The topics to stop; all when empty.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];
}

/// <summary>Parameters of <c>engine.shutdown</c>.</summary>
public sealed record ShutdownRequest
{
    /// <summary>Stop even though agents are running (they are stopped gracefully first).</summary>
    public bool Force { get; init; }
}

/// <summary>Parameters of <c>events.subscribe</c>.</summary>
public sealed record SubscribeRequest
{
    /// <summary>What to receive: <c>status</c> (engine state changes) and/or <c>events</c> (agents' events).</summary>
    public IReadOnlyList<string> Topics { get; init; } = ["status"];

    /// <summary>With <c>events</c>: only these agents (names); all agents when empty.</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>With <c>events</c>: send the formatted lines (default), or only the newest sequence number.</summary>
    public bool Lines { get; init; } = true;
}

/// <summary>Parameters of <c>events.read</c>: an agent, a cursor and a limit.</summary>
public sealed record EventsReadRequest
{
    public string Agent { get; init; } = string.Empty;

    /// <summary>Return events after this sequence number (0 = from the start).</summary>
    public long AfterSequence { get; init; }

    /// <summary>At most this many events (1..10000, default 500).</summary>
    public int Limit { get; init; } = 500;

    /// <summary>Include each event's raw payload.</summary>
    public bool Raw { get; init; }
}

/// <summary>Parameters of <c>agent.permission</c>.</summary>
public sealed record PermissionAnswerRequest
{
    public string Agent { get; init; } = string.Empty;

    /// <summary><c>once</c>, <c>always</c> or <c>reject</c>.</summary>
    public string Reply { get; init; } = "once";
}

/// <summary>The reply to <c>events.subscribe</c>.</summary>
public sealed record SubscribeResult(IReadOnlyList<string> Topics, long Revision);

/// <summary>The reply to <c>engine.shutdown</c>.</summary>
public sealed record ShutdownResult(bool Stopping, int RunningAgents);

/// <summary>A plain acknowledgement.</summary>
public sealed record OkResult(bool Ok = true);
