namespace Aetherflow.Engine.Api;

/// <summary>Everything about one agent: what <c>agent.get</c> returns and the agent panel shows.</summary>
public sealed record AgentDetail
{
    public required AgentInfo Agent { get; init; }

    /// <summary>Tool calls in first-seen order, each in its latest state.</summary>
    public IReadOnlyList<ToolCallInfo> ToolCalls { get; init; } = [];

    /// <summary>The tracker task (pool agents), when the tracker could be read.</summary>
    public TaskInfo? Task { get; init; }

    /// <summary>Permission requests waiting for an answer.</summary>
    public IReadOnlyList<PermissionRequestInfo> PendingPermissions { get; init; } = [];

    /// <summary>The agent's latest text output (sanitised).</summary>
    public string? LastText { get; init; }

    /// <summary>Problems reading parts of the detail (tracker unavailable…), one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
