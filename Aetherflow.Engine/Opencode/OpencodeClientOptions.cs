namespace Aetherflow.Engine.Opencode;

/// <summary>Settings of an <see cref="OpencodeClient"/>.</summary>
public sealed class OpencodeClientOptions
{
    /// <summary>How long one call may take (prompt_async returns at once; message lists can be large).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a health check may take. Short on purpose: a request that reaches opencode in the moment between bind
    /// and readiness can hang forever, so health is polled with short tries.
    /// </summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The HTTP handler; null for a private <see cref="SocketsHttpHandler"/>. Not disposed by the client.</summary>
    public HttpMessageHandler? Handler { get; init; }
}
