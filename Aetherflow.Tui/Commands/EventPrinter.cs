using System.CommandLine;
using System.Text.Json;
using Aetherflow.Engine.Api;
using Aetherflow.Tui.Presentation;

namespace Aetherflow.Tui.Commands;

/// <summary>Prints event lines as text, as JSON lines, or as the raw events.</summary>
internal sealed class EventPrinter
{
    private readonly ParseResult result;
    private readonly Painter paint;
    private readonly bool raw;
    private readonly bool json;

    public EventPrinter(ParseResult result, Painter paint, bool raw, bool json)
    {
        this.result = result;
        this.paint = paint;
        this.raw = raw;
        this.json = json;
    }

    public void Print(IEnumerable<EventLine> lines)
    {
        TextWriter output = CommandOutput.Out(result);
        foreach (EventLine line in lines)
        {
            output.WriteLine(
                raw ? JsonSerializer.Serialize(new RawEvent(line.Sequence, line.At, line.Type, line.Raw), CliJson.Compact.RawEvent)
                : json ? JsonSerializer.Serialize(line with { Raw = null }, CliJson.Compact.EventLine)
                : EventLineText.Format(line, paint));
        }

        output.Flush();
    }

    /// <summary>A line of <c>logs --raw</c>: the event as stored, <c>{"sequence", "at", "type", "payload"}</c>.</summary>
    internal sealed record RawEvent(long Sequence, DateTimeOffset At, string Type, JsonElement? Payload);
}
