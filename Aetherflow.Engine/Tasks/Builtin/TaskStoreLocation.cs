namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>Where a project's built-in task store is, also when asked from inside one of aetherflow's worktrees.</summary>
public static class TaskStoreLocation
{
    /// <summary>The per-project folder aetherflow keeps its state in (git-excluded).</summary>
    public const string StateFolderName = ".aetherflow";

    /// <summary>The folder under <see cref="StateFolderName"/> that holds the agents' worktrees.</summary>
    public const string WorktreesFolderName = "worktrees";

    /// <summary>The store's file name.</summary>
    public const string FileName = "tasks.db";

    /// <summary>The store file of the project that <paramref name="projectDirectory"/> belongs to.</summary>
    public static string DatabasePath(string projectDirectory) =>
        Path.Combine(FindMainProject(projectDirectory), StateFolderName, FileName);

    /// <summary>
    /// The main project for a folder inside <c>&lt;project&gt;/.aetherflow/worktrees/&lt;name&gt;</c> (where agents
    /// run), otherwise <paramref name="directory"/> itself.
    /// </summary>
    /// <remarks>
    /// Only aetherflow's own worktree layout is followed, not git's <c>commondir</c>: a person's own
    /// <c>git worktree</c> checkout is a project of its own, with its own store, and must not silently share the main
    /// checkout's tasks.
    /// </remarks>
    public static string FindMainProject(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        for (string? current = full; current is not null; current = Path.GetDirectoryName(current))
        {
            string? worktrees = Path.GetDirectoryName(current);
            string? state = worktrees is null ? null : Path.GetDirectoryName(worktrees);
            string? project = state is null ? null : Path.GetDirectoryName(state);
            if (project is not null
                && string.Equals(Path.GetFileName(worktrees), WorktreesFolderName, StringComparison.Ordinal)
                && string.Equals(Path.GetFileName(state), StateFolderName, StringComparison.Ordinal))
            {
                return project;
            }
        }

        return full;
    }
}
