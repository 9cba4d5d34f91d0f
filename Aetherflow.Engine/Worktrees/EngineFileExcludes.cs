using Aetherflow.Engine.Git;

namespace Aetherflow.Engine.Worktrees;

/// <summary>
/// The repository's <c>info/exclude</c> entries that keep engine files and opencode's generated files out of every
/// commit an agent makes. The file is shared by the repository and all its worktrees.
/// </summary>
internal static class EngineFileExcludes
{
    public static IReadOnlyList<string> Patterns { get; } =
    [
        "/.aetherflow/",
        ".opencode/node_modules/",
        ".opencode/package.json",
        ".opencode/package-lock.json",
        ".opencode/bun.lock",
        ".opencode/.gitignore",
    ];

    private const string Header = "# aetherflow: engine files and opencode's generated files, never committed by agents";

    /// <summary>Appends the patterns the file lacks, keeping everything else; returns the ones added.</summary>
    public static async Task<IReadOnlyList<string>> EnsureAsync(GitClient git, CancellationToken cancellationToken)
    {
        // --git-path resolves info/ to the common directory, also when the project is itself a linked worktree.
        string relative = (await git.RunCheckedAsync(["rev-parse", "--git-path", "info/exclude"], cancellationToken).ConfigureAwait(false)).Trim();
        string excludeFile = Path.GetFullPath(Path.Combine(git.WorkingDirectory, relative));
        string existing = File.Exists(excludeFile) ? await File.ReadAllTextAsync(excludeFile, cancellationToken).ConfigureAwait(false) : string.Empty;
        var present = existing.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        List<string> missing = Patterns.Where(p => !present.Contains(p)).ToList();
        if (missing.Count == 0)
        {
            return [];
        }

        Directory.CreateDirectory(Path.GetDirectoryName(excludeFile)!);
        string separator = existing.Length == 0 || existing.EndsWith('\n') ? string.Empty : "\n";
        string header = present.Contains(Header) ? string.Empty : Header + "\n";
        await File.AppendAllTextAsync(excludeFile, separator + header + string.Join('\n', missing) + "\n", cancellationToken).ConfigureAwait(false);
        return missing;
    }
}
