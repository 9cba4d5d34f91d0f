using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>Where the built-in store lives and what it runs with.</summary>
public sealed record BuiltinTaskStoreOptions
{
    /// <summary>
    /// The project's root folder; the store is <c>.aetherflow/tasks.db</c> in it. A folder inside one of aetherflow's
    /// own worktrees (<c>&lt;project&gt;/.aetherflow/worktrees/&lt;name&gt;</c>) means the main project.
    /// </summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The project name reported in task details.</summary>
    public string ProjectName { get; init; } = string.Empty;

    /// <summary>The clock for created/updated/log times.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long one call waits for another process's write to finish before it fails.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The source of new ids (collisions are detected and retried, so it need not be cryptographic).</summary>
    public Random Random { get; init; } = Random.Shared;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
