namespace Aetherflow.Engine.Scheduling;

/// <summary>Settings of the review reconciler; defaults match the config keys <c>remote</c>, <c>base_branch</c> and <c>reconcile_interval</c>.</summary>
public sealed record ReviewReconcilerOptions
{
    /// <summary>The remote whose base branch reviews land on (config <c>remote</c>).</summary>
    public string Remote { get; init; } = "origin";

    /// <summary>The branch reviews land on (config <c>base_branch</c>).</summary>
    public string BaseBranch { get; init; } = "main";

    /// <summary>Time between passes of <see cref="ReviewReconciler.RunAsync"/> (config <c>reconcile_interval</c>).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one fetch may take.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock of the pass loop.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
