using System.Text.Json;

namespace Aetherflow.Engine.Api;

/// <summary>One event of an agent, formatted for a log view; all text is sanitised.</summary>
public sealed record EventLine
{
    /// <summary>The engine-assigned, per-session sequence number.</summary>
    public long Sequence { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>The event type, e.g. <c>message.part.updated</c>.</summary>
    public required string Type { get; init; }

    /// <summary>What the line shows: <c>text</c>, <c>tool</c>, <c>step</c>, <c>error</c>, <c>retry</c>, <c>permission</c>, <c>steer</c>, <c>prompt</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The line in coloured segments.</summary>
    public IReadOnlyList<EventSegment> Segments { get; init; } = [];

    /// <summary>A second line (e.g. the first line of a command's output).</summary>
    public string? Detail { get; init; }

    /// <summary>The raw event payload, only when asked for.</summary>
    public JsonElement? Raw { get; init; }

    /// <summary>The line as plain text.</summary>
    public string Text => string.Concat(Segments.Select(s => s.Text));
}

/// <summary>A run of text and what it means (<c>tool</c>, <c>success</c>, <c>failure</c>, <c>running</c>, <c>dim</c>, <c>error</c>, <c>warning</c>, <c>plain</c>).</summary>
public sealed record EventSegment(string Kind, string Text);
