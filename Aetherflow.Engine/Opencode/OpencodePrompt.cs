namespace Aetherflow.Engine.Opencode;

/// <summary>A user message for <c>POST /session/:id/prompt_async</c>.</summary>
public sealed record OpencodePrompt
{
    /// <summary>The prompt text (sent as one text part).</summary>
    public required string Text { get; init; }

    /// <summary>The agent that answers, or null for the session's.</summary>
    public string? Agent { get; init; }

    /// <summary>The model, or null for the configured default.</summary>
    public OpencodeModelRef? Model { get; init; }

    /// <summary>An extra system prompt for this turn.</summary>
    public string? System { get; init; }
}
