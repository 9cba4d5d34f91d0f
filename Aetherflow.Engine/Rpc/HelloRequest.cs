namespace Aetherflow.Engine.Rpc;

/// <summary>The optional parameters of <c>engine.hello</c>.</summary>
public sealed record HelloRequest
{
    /// <summary>The protocol version the client speaks (default: the engine's own).</summary>
    public int? ProtocolVersion { get; init; }

    /// <summary>A name for the client, for the engine log.</summary>
    public string? Client { get; init; }
}
