using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.ScriptedModel;

/// <summary>Settings of a <see cref="ScriptedModelServer"/>.</summary>
public sealed class ScriptedModelOptions
{
    /// <summary>The loopback port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The clock for slow and hang scenarios, timestamps and the maximum lifetime.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives request and connection logs.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>When set, the server stops by itself this long after it started, so a forgotten one cannot linger.</summary>
    public TimeSpan? MaxLifetime { get; init; }

    /// <summary>Custom scenarios by name (see <see cref="ScenarioScripts"/>); they take precedence over built-in ones.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ScriptStep>> Scripts { get; init; } = new Dictionary<string, IReadOnlyList<ScriptStep>>();

    /// <summary>How many recent requests <c>GET /_requests</c> keeps.</summary>
    public int RequestLogCapacity { get; init; } = 500;

    /// <summary>The largest request body accepted (opencode's requests carry a ~10 KB system prompt plus the history).</summary>
    public int MaxRequestBodyBytes { get; init; } = 64 * 1024 * 1024;
}
