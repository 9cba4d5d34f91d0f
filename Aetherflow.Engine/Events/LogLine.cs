namespace Aetherflow.Engine.Events;

/// <summary>
/// One displayable line of an agent's log (the log stream view and <c>aetherflow logs</c>): structured segments that
/// the caller colours by <see cref="LogSegment.Kind"/> — no ANSI codes inside. All text is already sanitised.
/// </summary>
/// <param name="Timestamp">When it happened (the part's own end/start time where it has one, else when it was received).</param>
/// <param name="Kind">What the line is about.</param>
/// <param name="Segments">The line's pieces, in order.</param>
/// <param name="Detail">An optional second line (a bash call's first output line, a tool error), or null.</param>
public sealed record LogLine(DateTimeOffset Timestamp, LogLineKind Kind, IReadOnlyList<LogSegment> Segments, string? Detail = null)
{
    /// <summary>The line as plain text (without timestamp).</summary>
    public string Text => string.Concat(Segments.Select(s => s.Text));

    /// <inheritdoc/>
    public override string ToString() => Detail is null ? Text : $"{Text}\n    → {Detail}";
}
