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

    /// <summary>
    /// Offered every line before the read loop parses it: the sink may take a <c>session.event</c> line, to handle on
    /// another thread (<see cref="EventLineRoute.Taken"/>; <paramref name="line"/> is only read during the call);
    /// otherwise it says whether the line may be handled here at once or only after what was taken
    /// (<see cref="WhenTakenHandledAsync"/>). <paramref name="burst"/> says the read that brought the line brought many more.
    /// </summary>
    EventLineRoute Route(ReadOnlyMemory<byte> line, bool burst);

    /// <summary>Completes once every line the sink took (<see cref="Route"/>) is journaled and published.</summary>
    ValueTask WhenTakenHandledAsync();

    /// <summary>Journals and publishes what was accepted since the last flush.</summary>
    void Flush();
}
