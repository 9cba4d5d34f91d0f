namespace Aetherflow.Engine.Rpc;

/// <summary>What becomes of a line a connection's read loop offers its <see cref="ISessionEventSink"/>.</summary>
internal enum EventLineRoute
{
    /// <summary>The read loop handles the line now, as it always would.</summary>
    Here,

    /// <summary>The sink took the line: one of its lanes handles it.</summary>
    Taken,

    /// <summary>The read loop handles the line once the lines taken before it are handled.</summary>
    AfterTaken,

    /// <summary>The sink took the line, and holds so many that the read loop waits until they are handled before reading on.</summary>
    TakenFull,
}
