namespace Aetherflow.Engine.Worktrees;

/// <summary>Where new work branches start. Defaults match the config keys <c>remote</c> and <c>base_branch</c>.</summary>
public sealed record WorktreeOptions
{
    /// <summary>The remote whose base branch new work starts from (config <c>remote</c>).</summary>
    public string Remote { get; init; } = "origin";

    /// <summary>The branch new work starts from (config <c>base_branch</c>).</summary>
    public string BaseBranch { get; init; } = "main";

    /// <summary>
    /// Start from the local base branch even when the remote's exists. For solo mode, where agents merge into the local
    /// base and it is the newest; in review mode the remote's base is what reviews land on, and the local one may hold
    /// a person's unpushed commits.
    /// </summary>
    public bool PreferLocalBase { get; init; }

    /// <summary>How long creating a worktree (a full checkout) may take.</summary>
    public TimeSpan CheckoutTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
