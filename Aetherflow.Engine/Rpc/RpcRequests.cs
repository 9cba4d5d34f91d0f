namespace Aetherflow.Engine.Rpc;

// The params records have setters, not init-only properties: the source-generated deserializer (EngineJsonContext)
// builds an init-only record in one object initializer and so resets every member the JSON leaves out to null or 0,
// losing defaults such as `detached: true` or `limit: 500`. With setters it creates the record and sets only what the
// JSON holds. EngineJsonTests checks that `{}` gives each record its defaults.

/// <summary>Parameters naming one agent: <c>{"agent": "ghost_wolf"}</c>.</summary>
public sealed record AgentRequest
{
    public string Agent { get; set; } = string.Empty;
}

/// <summary>Parameters of <c>agent.steer</c>.</summary>
public sealed record SteerRequest
{
    public string Agent { get; set; } = string.Empty;

    public string Message { get; set; } = string.Empty;
}

/// <summary>Parameters of <c>spawn</c>.</summary>
public sealed record SpawnParams
{
    public string Prompt { get; set; } = string.Empty;

    /// <summary>Land the work by merging into the base branch (true) or leave it for review (false); default: the engine's <c>solo</c>.</summary>
    public bool? Solo { get; set; }

    /// <summary>
    /// True (default): the agent lives on its own. False: it belongs to this connection, and the engine stops it when
    /// the connection closes before the agent ends — like a foreground process and its terminal.
    /// </summary>
    public bool Detached { get; set; } = true;
}

/// <summary>Parameters of <c>session.attach</c>.</summary>
public sealed record SessionRequest
{
    public string SessionId { get; set; } = string.Empty;
}

/// <summary>Parameters of <c>events.unsubscribe</c>.</summary>
public sealed record UnsubscribeRequest
{
    /// <summary>The topics to stop; all when empty.</summary>
    public IReadOnlyList<string> Topics { get; set; } = [];
}

/// <summary>Parameters of <c>engine.shutdown</c>.</summary>
public sealed record ShutdownRequest
{
    /// <summary>Stop even though agents are running (they are stopped gracefully first).</summary>
    public bool Force { get; set; }
}

/// <summary>Parameters of <c>events.subscribe</c>.</summary>
public sealed record SubscribeRequest
{
    /// <summary>What to receive: <c>status</c> (engine state changes) and/or <c>events</c> (agents' events).</summary>
    public IReadOnlyList<string> Topics { get; set; } = ["status"];

    /// <summary>With <c>events</c>: only these agents (names); all agents when empty.</summary>
    public IReadOnlyList<string> Agents { get; set; } = [];

    /// <summary>With <c>events</c>: send the formatted lines (default), or only the newest sequence number.</summary>
    public bool Lines { get; set; } = true;
}

/// <summary>Parameters of <c>events.read</c>: an agent, a cursor and a limit.</summary>
public sealed record EventsReadRequest
{
    public string Agent { get; set; } = string.Empty;

    /// <summary>Return events after this sequence number (0 = from the start).</summary>
    public long AfterSequence { get; set; }

    /// <summary>At most this many events (1..10000, default 500).</summary>
    public int Limit { get; set; } = 500;

    /// <summary>Include each event's raw payload.</summary>
    public bool Raw { get; set; }
}

/// <summary>Parameters of <c>agent.permission</c>.</summary>
public sealed record PermissionAnswerRequest
{
    public string Agent { get; set; } = string.Empty;

    /// <summary><c>once</c>, <c>always</c> or <c>reject</c>.</summary>
    public string Reply { get; set; } = "once";
}

/// <summary>The reply to <c>events.subscribe</c>.</summary>
public sealed record SubscribeResult(IReadOnlyList<string> Topics, long Revision);

/// <summary>The reply to <c>engine.shutdown</c>.</summary>
public sealed record ShutdownResult(bool Stopping, int RunningAgents);

/// <summary>A plain acknowledgement.</summary>
public sealed record OkResult(bool Ok = true);
