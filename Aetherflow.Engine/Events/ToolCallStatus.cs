namespace Aetherflow.Engine.Events;

/// <summary>Where a tool call is in its lifecycle (opencode's <c>state.status</c>).</summary>
public enum ToolCallStatus
{
    /// <summary>The model started the call; the input is still streaming.</summary>
    Pending,

    /// <summary>The tool is running.</summary>
    Running,

    /// <summary>The tool finished.</summary>
    Completed,

    /// <summary>The tool failed (see <see cref="ToolCall.Error"/>).</summary>
    Error,
}
