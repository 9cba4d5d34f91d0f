namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Where a connection's read loop hands well-formed <c>session.event</c> notifications (see
/// <see cref="JsonLineMessageHandler.SessionEvents"/>): queued as they are read, flushed before the loop waits for more
/// input or handles any other message.
/// </summary>
internal interface ISessionEventSink
{
    /// <summary>Takes one notification's params (UTF-8 JSON); the memory is only valid during the call.</summary>
    void Accept(ReadOnlyMemory<byte> parameters);

    /// <summary>Journals and publishes what was accepted since the last flush.</summary>
    void Flush();
}
