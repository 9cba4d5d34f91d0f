using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Demo;

/// <summary>Where and how <see cref="DemoProject.CreateAsync"/> makes the demo project.</summary>
public sealed record DemoProjectOptions
{
    /// <summary>The project folder; it must not exist yet, or be empty.</summary>
    public required string Directory { get; init; }

    /// <summary>The project name (engine socket, task store), e.g. <c>demo-k3x9q2</c>: unique, so the demo's engine
    /// never meets a real project's.</summary>
    public required string ProjectName { get; init; }

    /// <summary>Agent slots: fewer than the tasks that start ready, so one of them visibly waits.</summary>
    public int PoolSize { get; init; } = 2;

    /// <summary>The environment git runs with (PATH and friends); the demo repository sets its own identity.</summary>
    public IReadOnlyDictionary<string, string?> GitEnvironment { get; init; } = new Dictionary<string, string?>();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
