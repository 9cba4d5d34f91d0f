namespace Aetherflow.Engine.Events;

/// <summary>How a <see cref="LogSegment"/> should be styled (k9s-like: cyan tool names, green ✓, red ✗, dim details).</summary>
public enum LogSegmentKind
{
    /// <summary>Ordinary text.</summary>
    Plain,

    /// <summary>A tool name.</summary>
    Tool,

    /// <summary>A success mark (✓).</summary>
    Success,

    /// <summary>A failure mark (✗).</summary>
    Failure,

    /// <summary>An in-progress mark (…).</summary>
    Running,

    /// <summary>Secondary information: durations, step summaries.</summary>
    Dim,

    /// <summary>An error message.</summary>
    Error,

    /// <summary>Something that needs attention: retries, permission requests.</summary>
    Warning,
}
