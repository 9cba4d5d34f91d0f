using System.Text.Json;

namespace Aetherflow.Engine.Events;

/// <summary>
/// Tokens and cost of a session's assistant messages. opencode sends a message's <c>message.updated</c> many times with
/// its running totals, so each message's latest values replace its earlier ones: every message counts once.
/// </summary>
internal sealed class MessageUsageLedger
{
    private readonly Dictionary<string, (TokenUsage Tokens, double Cost)> byMessage = new(StringComparer.Ordinal);
    private double cost;

    public TokenUsage Tokens { get; private set; }

    public double Cost => Math.Round(cost, 10);

    /// <summary>Records the <c>tokens</c> and <c>cost</c> of assistant message <paramref name="messageId"/> from its <paramref name="info"/>.</summary>
    public void Record(string messageId, JsonElement info)
    {
        TokenUsage tokens = Read(info);
        double messageCost = info.TryGetProperty("cost"u8, out JsonElement c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : 0;
        if (byMessage.TryGetValue(messageId, out var counted))
        {
            Tokens -= counted.Tokens;
            cost -= counted.Cost;
        }

        byMessage[messageId] = (tokens, messageCost);
        Tokens += tokens;
        cost += messageCost;
    }

    private static TokenUsage Read(JsonElement info)
    {
        if (!info.TryGetProperty("tokens"u8, out JsonElement t) || t.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        JsonElement cache = t.TryGetProperty("cache"u8, out JsonElement c) ? c : default;
        return new TokenUsage(Number(t, "input"u8), Number(t, "output"u8), Number(t, "reasoning"u8), Number(cache, "read"u8), Number(cache, "write"u8));
    }

    private static long Number(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : 0;
}
