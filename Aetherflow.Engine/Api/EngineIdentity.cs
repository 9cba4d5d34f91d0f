namespace Aetherflow.Engine.Api;

/// <summary>Who answers on a socket: the reply to <c>engine.hello</c>.</summary>
public sealed record EngineIdentity
{
    /// <summary>The JSON-RPC protocol version this engine speaks.</summary>
    public int ProtocolVersion { get; init; }

    /// <summary>The oldest protocol version it still accepts from clients.</summary>
    public int MinProtocolVersion { get; init; }

    /// <summary>The aetherflow build, e.g. <c>0.1.0+abc123</c>.</summary>
    public required string BuildVersion { get; init; }

    public required string Project { get; init; }

    public required string ProjectDirectory { get; init; }

    public int Pid { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>True when the engine runs without a dashboard (<c>--headless</c>).</summary>
    public bool Headless { get; init; }
}
