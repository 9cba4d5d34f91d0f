using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Git;

/// <summary>
/// Builds the refs aetherflow passes to git, only from validated names, so nothing from a tracker or a config file can
/// become a git option (<c>--exec=…</c>) or point outside the ref namespaces aetherflow owns.
/// </summary>
public static class GitRefs
{
    /// <summary>The prefix of every work branch: work id <c>ts-1</c> lives on <c>af/ts-1</c>.</summary>
    public const string WorkBranchPrefix = "af/";

    /// <summary>
    /// True when <paramref name="id"/> can name a worktree and a branch: a valid task id
    /// (<see cref="Identifiers.IsTaskId"/>) that also satisfies git's ref rules (no trailing <c>.</c> or <c>.lock</c>).
    /// </summary>
    public static bool IsWorkId(string? id) =>
        Identifiers.IsTaskId(id) && !id!.EndsWith('.') && !id.EndsWith(".lock", StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="name"/> is a branch or remote name aetherflow accepts from configuration: letters,
    /// digits, <c>.</c>, <c>_</c>, <c>-</c> and <c>/</c>, not starting with <c>-</c>, <c>.</c> or <c>/</c>, no
    /// <c>..</c>, <c>//</c>, <c>/.</c>, trailing <c>/</c>, <c>.</c> or <c>.lock</c>.
    /// </summary>
    public static bool IsBranchName(string? name) =>
        name is { Length: > 0 and <= 200 }
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/')
        && name[0] is not ('-' or '.' or '/')
        && !name.EndsWith('/') && !name.EndsWith('.') && !name.EndsWith(".lock", StringComparison.Ordinal)
        && !name.Contains("..", StringComparison.Ordinal) && !name.Contains("//", StringComparison.Ordinal)
        && !name.Contains("/.", StringComparison.Ordinal);

    /// <summary>The work branch's short name, <c>af/&lt;id&gt;</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid work id.</exception>
    public static string WorkBranch(string id) => WorkBranchPrefix + RequireWorkId(id);

    /// <summary>The work branch's full local ref, <c>refs/heads/af/&lt;id&gt;</c>.</summary>
    public static string LocalWorkBranch(string id) => "refs/heads/" + WorkBranch(id);

    /// <summary>The remote-tracking ref of a work branch, <c>refs/remotes/&lt;remote&gt;/af/&lt;id&gt;</c>.</summary>
    public static string RemoteWorkBranch(string remote, string id) => RemoteTracking(remote, WorkBranch(id));

    /// <summary>A local branch's full ref, <c>refs/heads/&lt;branch&gt;</c>.</summary>
    public static string LocalBranch(string branch) => "refs/heads/" + RequireBranchName(branch, nameof(branch));

    /// <summary>A remote-tracking ref, <c>refs/remotes/&lt;remote&gt;/&lt;branch&gt;</c>.</summary>
    public static string RemoteTracking(string remote, string branch) =>
        $"refs/remotes/{RequireBranchName(remote, nameof(remote))}/{RequireBranchName(branch, nameof(branch))}";

    /// <summary>Throws unless <paramref name="id"/> is a valid work id; returns it.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid work id.</exception>
    public static string RequireWorkId(string id) =>
        IsWorkId(id)
            ? id
            : throw new ArgumentException(
                $"'{TerminalText.Truncate(TerminalText.SanitizeLine(id), 80)}' is not a valid work id: {Identifiers.ProjectNameRule}, not ending in '.' or '.lock'",
                nameof(id));

    private static string RequireBranchName(string name, string parameter) =>
        IsBranchName(name)
            ? name
            : throw new ArgumentException($"'{TerminalText.Truncate(TerminalText.SanitizeLine(name), 80)}' is not a valid git branch or remote name", parameter);
}
