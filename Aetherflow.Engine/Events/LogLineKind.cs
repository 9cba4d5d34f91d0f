namespace Aetherflow.Engine.Events;

/// <summary>What a <see cref="LogLine"/> is about.</summary>
public enum LogLineKind
{
    /// <summary>Text the agent wrote.</summary>
    Text,

    /// <summary>The prompt the agent was given (a user text part).</summary>
    Prompt,

    /// <summary>A tool call starting or finishing.</summary>
    Tool,

    /// <summary>A model step's summary (tokens, reason).</summary>
    Step,

    /// <summary>A session error.</summary>
    Error,

    /// <summary>A model call being retried.</summary>
    Retry,

    /// <summary>A permission request the session waits for.</summary>
    Permission,
}
