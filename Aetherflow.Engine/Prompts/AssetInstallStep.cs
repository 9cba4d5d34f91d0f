namespace Aetherflow.Engine.Prompts;

/// <summary>One file of an install: its path under the target folder, what happens to it, and any error.</summary>
/// <param name="Path">Relative to the target folder, with <c>/</c> separators (<c>skills/review-auto/SKILL.md</c>).</param>
/// <param name="Action">Write or skip.</param>
/// <param name="IsNpmState">
/// True for the npm state opencode wants in a config folder that holds a plugin (<c>node_modules/</c>,
/// <c>package.json</c>, <c>package-lock.json</c>): written only when absent, never replaced.
/// </param>
public sealed record AssetInstallStep(string Path, AssetInstallAction Action, bool IsNpmState = false)
{
    /// <summary>Why writing this file failed (one line), or null.</summary>
    public string? Error { get; init; }
}
