using System.Text.Json;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Where a connection's read loop hands well-formed <c>session.event</c> notifications (see
/// <see cref="JsonLineMessageHandler.SessionEvents"/>): queued as they are read, flushed before the loop waits for more
/// input or handles any other message.
/// </summary>
internal interface ISessionEventSink
{
    /// <summary>
    /// Takes one notification, parsed: <paramref name="parameters"/> is its params object within
    /// <paramref name="notification"/>, which the sink owns from now on and must dispose before the call returns (it
    /// references the socket's buffer).
    /// </summary>
    void Accept(JsonDocument notification, JsonElement parameters);

    /// <summary>Journals and publishes what was accepted since the last flush.</summary>
    void Flush();
}
