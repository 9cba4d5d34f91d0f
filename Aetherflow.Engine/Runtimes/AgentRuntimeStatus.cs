using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Runtimes;

/// <summary>What a runtime knows about a running agent right now; the pool copies it into the engine snapshot.</summary>
public sealed record AgentRuntimeStatus
{
    public AgentActivity Activity { get; init; } = AgentActivity.Starting;

    public int? Pid { get; init; }

    public string? SessionId { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>The latest tool call, e.g. <c>bash: dotnet test</c>.</summary>
    public string? LastTool { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public double Cost { get; init; }

    public string? LastError { get; init; }
}
