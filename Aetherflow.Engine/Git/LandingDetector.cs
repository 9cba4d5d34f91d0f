using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Git;

/// <summary>
/// Decides whether a branch has landed on an upstream branch, however it was merged. The checks run cheapest first and
/// stop at the first that succeeds:
/// <list type="number">
/// <item><b>Ancestry</b> (<c>merge-base --is-ancestor</c>): a merge commit or a fast-forward.</item>
/// <item><b>Combined patch id</b>: the patch id of the branch's whole change (<c>diff merge-base..branch</c>) equals the
/// patch id of one upstream commit — a squash merge (for a one-commit branch also a rebase; it is reported as a squash).</item>
/// <item><b>Per-commit patch ids</b>: every non-empty commit of the branch has a commit upstream with the same patch
/// id — a rebase merge. This is <c>git cherry</c>, computed on zero-context diffs (see below).</item>
/// <item><b>Virtual merge</b> (<c>merge-tree --write-tree</c>, git ≥ 2.38): merging the branch into upstream cleanly
/// gives exactly upstream's tree, so the branch adds nothing — a squash merge whose conflicts were resolved, or the
/// same change landed another way. Skipped on older git.</item>
/// </list>
/// Patch ids are computed from <c>-U0</c> diffs. <c>git cherry</c> hashes diffs with three lines of context, so a squash
/// commit whose surrounding lines changed upstream between branching and merging (a very common case) gets another
/// patch id and is missed; without context the id depends only on the removed and added lines, which a squash or a
/// rebase keeps unless it had to resolve conflicts — and that case is the virtual merge's. Upstream commits' patch ids
/// are cached by commit id, so a pass costs only the commits upstream gained since the last one.
/// A branch that differs from nothing (no net change) is never reported as landed by the patch or merge checks.
/// </summary>
public sealed class LandingDetector
{
    private const int MaxCachedPatchIds = 100_000;

    // Identical diff settings on both sides, independent of the user's diff.*, color.* and log.* config, so equal
    // changes hash equally.
    private static readonly string[] DiffOptions = ["--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "-U0"];

    private readonly GitClient git;
    private readonly ILogger logger;
    private readonly Dictionary<string, string?> upstreamPatchIds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim cacheLock = new(1, 1);
    private bool mergeTreeUnsupported;

    public LandingDetector(GitClient git, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(git);
        this.git = git;
        this.logger = logger ?? git.Options.Logger;
    }

    /// <summary>
    /// Whether <paramref name="branch"/> has landed on <paramref name="upstream"/>. Both are full refs or commit ids
    /// that exist (check with <see cref="GitClient.RefExistsAsync"/> first).
    /// </summary>
    /// <exception cref="GitException">git failed.</exception>
    public async Task<LandingKind> CheckAsync(string branch, string upstream, CancellationToken cancellationToken)
    {
        RequireRevision(branch, nameof(branch));
        RequireRevision(upstream, nameof(upstream));
        if (await git.IsAncestorAsync(branch, upstream, cancellationToken).ConfigureAwait(false))
        {
            return LandingKind.Merged;
        }

        string? mergeBase = await git.MergeBaseAsync(upstream, branch, cancellationToken).ConfigureAwait(false);
        if (mergeBase is null)
        {
            return LandingKind.NotLanded;
        }

        string branchTree = await TreeOfAsync(branch, cancellationToken).ConfigureAwait(false);
        if (branchTree == await TreeOfAsync(mergeBase, cancellationToken).ConfigureAwait(false))
        {
            // No net change: every check below would match vacuously.
            return LandingKind.NotLanded;
        }

        IReadOnlySet<string> upstreamIds = await UpstreamPatchIdsAsync(mergeBase, upstream, cancellationToken).ConfigureAwait(false);
        if (upstreamIds.Count > 0)
        {
            // Squash first: for a one-commit branch both match, and a squash is the likelier way it got there.
            IReadOnlyList<string> combined = await PatchIdsAsync(
                ["diff", .. DiffOptions, mergeBase, branch, "--"], cancellationToken).ConfigureAwait(false);
            if (combined.Count == 1 && upstreamIds.Contains(combined[0]))
            {
                return LandingKind.Squashed;
            }

            IReadOnlyList<string> branchIds = await PatchIdsAsync(
                ["log", "--no-show-signature", .. DiffOptions, "-p", "--no-merges", "--format=commit %H", $"{upstream}..{branch}", "--"],
                cancellationToken).ConfigureAwait(false);
            if (branchIds.Count > 0 && branchIds.All(upstreamIds.Contains))
            {
                return LandingKind.Rebased;
            }
        }

        return await MergesToUpstreamTreeAsync(branch, upstream, cancellationToken).ConfigureAwait(false)
            ? LandingKind.ChangesUpstream
            : LandingKind.NotLanded;
    }

    /// <summary>A few words for a landing kind, e.g. "squash merge", for logs and decisions.</summary>
    public static string Describe(LandingKind kind) => kind switch
    {
        LandingKind.Merged => "merge or fast-forward",
        LandingKind.Rebased => "rebase merge",
        LandingKind.Squashed => "squash merge",
        LandingKind.ChangesUpstream => "its changes are already there",
        _ => "not landed",
    };

    private static void RequireRevision(string revision, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(revision, parameter);
        if (revision.StartsWith('-') || revision.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{revision}' is not a ref or commit id", parameter);
        }
    }

    private async Task<string> TreeOfAsync(string revision, CancellationToken cancellationToken)
    {
        string output = await git.RunCheckedAsync(["rev-parse", "--verify", revision + "^{tree}"], cancellationToken).ConfigureAwait(false);
        return output.Trim();
    }

    private async Task<IReadOnlySet<string>> UpstreamPatchIdsAsync(string mergeBase, string upstream, CancellationToken cancellationToken)
    {
        string list = await git.RunCheckedAsync(["rev-list", "--no-merges", $"{mergeBase}..{upstream}", "--"], cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> commits = new GitResult(0, list, string.Empty).OutputLines;
        await cacheLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<string> missing = commits.Where(c => !upstreamPatchIds.ContainsKey(c)).ToList();
            if (missing.Count > 0)
            {
                if (upstreamPatchIds.Count + missing.Count > MaxCachedPatchIds)
                {
                    upstreamPatchIds.Clear();
                }

                // Commits come in on stdin: a long-lived branch can be thousands of commits behind.
                string patches = await git.RunCheckedAsync(
                    ["log", "--no-show-signature", "--stdin", "--no-walk=unsorted", .. DiffOptions, "-p", "--format=commit %H"],
                    new GitCallOptions { StandardInput = string.Join('\n', missing) + "\n" },
                    cancellationToken).ConfigureAwait(false);
                foreach (string commit in missing)
                {
                    upstreamPatchIds[commit] = null;
                }

                foreach (var (patchId, commit) in await PatchIdPairsAsync(patches, cancellationToken).ConfigureAwait(false))
                {
                    upstreamPatchIds[commit] = patchId;
                }

                logger.LogDebug("Computed patch ids of {Count} upstream commits", missing.Count);
            }

            return commits.Select(c => upstreamPatchIds.GetValueOrDefault(c)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            cacheLock.Release();
        }
    }

    private async Task<IReadOnlyList<string>> PatchIdsAsync(IReadOnlyList<string> patchCommand, CancellationToken cancellationToken)
    {
        string patches = await git.RunCheckedAsync(patchCommand, cancellationToken).ConfigureAwait(false);
        var pairs = await PatchIdPairsAsync(patches, cancellationToken).ConfigureAwait(false);
        return pairs.Select(p => p.PatchId).ToList();
    }

    private async Task<IReadOnlyList<(string PatchId, string Commit)>> PatchIdPairsAsync(string patches, CancellationToken cancellationToken)
    {
        if (patches.Length == 0)
        {
            return [];
        }

        string output = await git.RunCheckedAsync(
            ["patch-id", "--stable"], new GitCallOptions { StandardInput = patches }, cancellationToken).ConfigureAwait(false);
        var pairs = new List<(string, string)>();
        foreach (string line in new GitResult(0, output, string.Empty).OutputLines)
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2)
            {
                pairs.Add((fields[0], fields[1]));
            }
        }

        return pairs;
    }

    private async Task<bool> MergesToUpstreamTreeAsync(string branch, string upstream, CancellationToken cancellationToken)
    {
        if (mergeTreeUnsupported)
        {
            return false;
        }

        string[] args = ["merge-tree", "--write-tree", "--no-messages", "--", upstream, branch];
        GitResult result = await git.RunAsync(args, cancellationToken).ConfigureAwait(false);
        switch (result.ExitCode)
        {
            case 0:
                string mergedTree = result.OutputLines.FirstOrDefault() ?? string.Empty;
                return mergedTree == await TreeOfAsync(upstream, cancellationToken).ConfigureAwait(false);
            case 1:
                return false; // conflicts: the branch changes something upstream changed differently
            case 129:
                // Usage error: this git predates merge-tree --write-tree (2.38); the other checks still run.
                mergeTreeUnsupported = true;
                logger.LogWarning("git merge-tree --write-tree is not supported by this git; squash merges with resolved conflicts will not be detected (git 2.38 or later detects them)");
                return false;
            default:
                throw GitClient.Failure(args, result);
        }
    }
}
