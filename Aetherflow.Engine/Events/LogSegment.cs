namespace Aetherflow.Engine.Events;

/// <summary>A piece of a <see cref="LogLine"/> with a meaning the caller maps to a colour.</summary>
/// <param name="Kind">How to style it.</param>
/// <param name="Text">Sanitised text.</param>
public readonly record struct LogSegment(LogSegmentKind Kind, string Text);
