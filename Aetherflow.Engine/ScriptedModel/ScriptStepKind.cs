namespace Aetherflow.Engine.ScriptedModel;

/// <summary>What one step of a scripted model scenario answers with.</summary>
public enum ScriptStepKind
{
    /// <summary>A text answer that ends the turn (<c>finish_reason: "stop"</c>).</summary>
    Text,

    /// <summary>One or more tool calls in one assistant message (<c>finish_reason: "tool_calls"</c>); several are parallel calls.</summary>
    ToolCalls,

    /// <summary>An HTTP error with an OpenAI-style error body.</summary>
    Error,

    /// <summary>Holds the answer back for a while, then answers with text (for abort and timeout tests).</summary>
    Hang,

    /// <summary>A malformed server-sent event stream (or malformed JSON), to exercise the client's parse errors.</summary>
    Garbage,
}
