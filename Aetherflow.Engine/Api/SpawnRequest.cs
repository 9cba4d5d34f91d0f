namespace Aetherflow.Engine.Api;

/// <summary>A one-off agent started from a person's prompt.</summary>
public sealed record SpawnRequest
{
    /// <summary>The person's prompt; inserted literally into the spawn template.</summary>
    public required string Prompt { get; init; }

    /// <summary>Who asked (for the decision log), e.g. <c>dashboard</c> or <c>cli pid 4242</c>.</summary>
    public string RequestedBy { get; init; } = "unknown";

    /// <summary>
    /// How this agent lands its work: true merges its branch into the base branch itself (solo), false leaves it for
    /// review, null follows the engine's <c>solo</c> setting.
    /// </summary>
    public bool? Solo { get; init; }
}
