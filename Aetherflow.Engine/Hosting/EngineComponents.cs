using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Pool;
using Aetherflow.Engine.Runtimes;
using Aetherflow.Engine.Scheduling;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tasks;

namespace Aetherflow.Engine.Hosting;

/// <summary>The pieces an engine is composed of, chosen from the configuration by <see cref="EngineOptions.Components"/>.</summary>
public sealed record EngineComponents
{
    public required ITaskSource Tasks { get; init; }

    public required IAgentRuntime Runtime { get; init; }

    public required IAgentWorkspaces Workspaces { get; init; }

    public required IAgentPrompts Prompts { get; init; }

    public IResumableSessions? Sessions { get; init; }

    /// <summary>Marks landed reviews done; run in auto mode unless solo. Null when the project is not a git repository.</summary>
    public ReviewReconciler? Reconciler { get; init; }

    /// <summary>The per-session event store (opencode runtime), for event reads and the log stream.</summary>
    public SessionEventStore? Events { get; init; }

    /// <summary>The session registry (opencode runtime).</summary>
    public SessionRegistry? Registry { get; init; }

    /// <summary>Marks stale and sweeps old registry records (opencode runtime).</summary>
    public SessionHousekeeping? Housekeeping { get; init; }

    /// <summary>The opencode server, client and event pump (opencode runtime).</summary>
    public OpencodeBackend? Opencode { get; init; }

    /// <summary>Things done while composing that the decision log should show (orphans stopped…).</summary>
    public IReadOnlyList<string> StartupNotes { get; init; } = [];

    /// <summary>
    /// Takes the events the aetherflow-events plugin pushes over the engine socket (opencode runtime); null when the
    /// engine has no event pipeline, and then <c>session.event</c> notifications are ignored.
    /// </summary>
    public PluginEventReceiver? PluginEvents { get; init; }

    /// <summary>Problems found while composing that do not stop the engine (shown in its status).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Things the engine owns and disposes when it stops (a managed opencode server, watchers…), in reverse order.</summary>
    public IReadOnlyList<IAsyncDisposable> Owned { get; init; } = [];
}
