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

    /// <summary>
    /// Scenarios by work id (a key of <see cref="Scripts"/> or a built-in name), for prompts without a
    /// <c>SCENARIO:</c> token: an agent whose prompt has the line <c>Task: &lt;id&gt;</c> (or <c>Spawn: &lt;id&gt;</c>) plays
    /// the scenario assigned to that id. The demo uses it so its task titles stay free of markers.
    /// </summary>
    public IReadOnlyDictionary<string, string> WorkScenarios { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A pause before every scenario answer (not before title side requests), on <see cref="TimeProvider"/>, so a
    /// person watching the demo can follow each step; zero (the default) answers at once.
    /// </summary>
    public TimeSpan AnswerDelay { get; init; }

    /// <summary>How many recent requests <c>GET /_requests</c> keeps.</summary>
    public int RequestLogCapacity { get; init; } = 500;

    /// <summary>The largest request body accepted (opencode's requests carry a ~10 KB system prompt plus the history).</summary>
    public int MaxRequestBodyBytes { get; init; } = 64 * 1024 * 1024;
}
