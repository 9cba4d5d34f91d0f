namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Reads what routing needs from a <c>session.event</c> line exactly as the aetherflow-events plugin frames it —
/// <c>{"jsonrpc":"2.0","method":"session.event","params":{"seq":N,…,"event":{…"sessionID":"ses_…"…}}}</c> — without
/// parsing it: its sequence number, its params and the first <c>sessionID</c> in it. A line in any other shape is
/// not read here (it takes the ordinary path); the params are parsed and checked in full where they are handled.
/// </summary>
internal static class PluginEventLine
{
    private static ReadOnlySpan<byte> Prefix => """{"jsonrpc":"2.0","method":"session.event","params":{"seq":"""u8;

    private static ReadOnlySpan<byte> SessionMember => "\"sessionID\":\""u8;

    private const int MaxSessionIdBytes = 128;

    /// <summary>
    /// True when <paramref name="line"/> has the plugin's framing and names a session, with the plugin's
    /// <paramref name="sequence"/>, the <paramref name="parameters"/> object and the first <paramref name="sessionId"/>
    /// (its raw bytes: unescaped and at most 128 bytes, else the line is not read).
    /// </summary>
    /// <remarks>
    /// The first <c>sessionID</c> member is the event's own for every opencode event that has one (the plugin's
    /// envelope names no session, and an event names its session before anything nested), so all events of a session
    /// get the same key. The line must end in <c>}}</c>: a request (which has an <c>id</c> after its params, wanting a
    /// reply) never does.
    /// </remarks>
    public static bool TryRead(ReadOnlySpan<byte> line, out long sequence, out ReadOnlySpan<byte> parameters, out ReadOnlySpan<byte> sessionId)
    {
        sequence = 0;
        parameters = default;
        sessionId = default;
        line = line.TrimEnd("\r \t"u8);
        if (!line.StartsWith(Prefix) || !line.EndsWith("}}"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> digits = line[Prefix.Length..];
        int length = digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (length is <= 0 or > 18 || digits[length] != (byte)',')
        {
            return false;
        }

        foreach (byte digit in digits[..length])
        {
            sequence = (sequence * 10) + (digit - '0');
        }

        // From the params' opening brace to the one before the line's last.
        int paramsStart = Prefix.Length - """{"seq":"""u8.Length;
        parameters = line[paramsStart..^1];
        int member = parameters.IndexOf(SessionMember);
        if (member < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> value = parameters[(member + SessionMember.Length)..];
        int end = value.IndexOfAny((byte)'"', (byte)'\\');
        if (end is <= 0 or > MaxSessionIdBytes || value[end] != (byte)'"')
        {
            return false;
        }

        sessionId = value[..end];
        return true;
    }
}
