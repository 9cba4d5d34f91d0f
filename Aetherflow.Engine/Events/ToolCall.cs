namespace Aetherflow.Engine.Events;

/// <summary>
/// One tool call of a session, collapsed from all its updates (pending → running → completed/error) into its latest
/// state. Text fields are sanitised single lines.
/// </summary>
public sealed record ToolCall
{
    /// <summary>opencode's part id (<c>prt_…</c>): the identity that updates are grouped by.</summary>
    public required string PartId { get; init; }

    /// <summary>The tool name, e.g. <c>bash</c>.</summary>
    public required string Tool { get; init; }

    /// <summary>The model's call id, when known.</summary>
    public string? CallId { get; init; }

    /// <summary>The latest status.</summary>
    public ToolCallStatus Status { get; init; }

    /// <summary>opencode's title for the call (e.g. the command), once it has one.</summary>
    public string? Title { get; init; }

    /// <summary>The input that says what the call is about (<see cref="Opencode.Events.ToolKeyInput"/>); empty when there is none.</summary>
    public string KeyInput { get; init; } = string.Empty;

    /// <summary>When the tool started running.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the tool finished.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>End minus start, once both are known.</summary>
    public TimeSpan? Duration => StartedAt is { } start && EndedAt is { } end && end >= start ? end - start : null;

    /// <summary>The failure, for <see cref="ToolCallStatus.Error"/>.</summary>
    public string? Error { get; init; }

    /// <summary>When the engine received the latest update.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What to show in one cell: the title when set, else the key input.</summary>
    public string Label => string.IsNullOrEmpty(Title) ? KeyInput : Title;

    /// <summary><c>tool: label</c>, e.g. <c>bash: dotnet test</c>.</summary>
    public string Summary => Label.Length == 0 ? Tool : $"{Tool}: {Label}";
}
