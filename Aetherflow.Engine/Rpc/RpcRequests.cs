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
    /// <summary>What to receive: <c>status</c> (engine state changes) — more topics are added by later versions.</summary>
    public IReadOnlyList<string> Topics { get; init; } = ["status"];
}

/// <summary>The reply to <c>events.subscribe</c>.</summary>
public sealed record SubscribeResult(IReadOnlyList<string> Topics, long Revision);

/// <summary>The reply to <c>engine.shutdown</c>.</summary>
public sealed record ShutdownResult(bool Stopping, int RunningAgents);

/// <summary>A plain acknowledgement.</summary>
public sealed record OkResult(bool Ok = true);
