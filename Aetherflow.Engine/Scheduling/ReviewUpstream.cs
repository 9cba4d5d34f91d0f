using Aetherflow.Engine.Git;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Scheduling;

/// <summary>
/// Finds what reviews are compared with: <c>&lt;remote&gt;/&lt;base&gt;</c> freshly fetched (or as last fetched when the fetch
/// fails), or the local base in a repository without that remote (said once).
/// </summary>
internal sealed class ReviewUpstream(GitClient git, ReviewReconcilerOptions options, ILogger logger)
{
    private bool noRemoteReported;

    /// <summary>Adds decisions about the fetch to <paramref name="decisions"/>; null when nothing can be compared.</summary>
    public async Task<Upstream?> ResolveAsync(List<ReconcileDecision> decisions, CancellationToken cancellationToken)
    {
        string remote = options.Remote;
        string baseBranch = options.BaseBranch;
        IReadOnlyList<string> remotes = await git.ListRemotesAsync(cancellationToken).ConfigureAwait(false);
        if (!remotes.Contains(remote, StringComparer.Ordinal))
        {
            if (!noRemoteReported)
            {
                noRemoteReported = true;
                string note = $"no remote '{remote}' in this repository: reviews are compared with the local {baseBranch}";
                logger.LogInformation("{Note}", note);
                decisions.Add(new ReconcileDecision(null, ReconcileOutcome.NoRemote, note));
            }

            string local = GitRefs.LocalBranch(baseBranch);
            if (await git.RefExistsAsync(local, cancellationToken).ConfigureAwait(false))
            {
                return new Upstream(local, baseBranch);
            }

            decisions.Add(new ReconcileDecision(null, ReconcileOutcome.Error, $"base branch {baseBranch} does not exist; set base_branch to the branch reviews land on"));
            return null;
        }

        noRemoteReported = false;
        string tracking = GitRefs.RemoteTracking(remote, baseBranch);
        try
        {
            // Explicit refspecs: they update the remote-tracking refs whatever the remote's configured fetch refspec, and
            // bring in pushed work branches so a branch deleted locally can still be checked. Fetching "main" alone
            // would leave the local main stale, which is what made the original reconciler a no-op. --no-prune even
            // when fetch.prune is configured: a work branch the forge deleted after merging is still checked through
            // its remote-tracking ref.
            await git.RunCheckedAsync(
                [
                    "fetch", "--quiet", "--no-tags", "--no-prune", "--", remote,
                    $"+{GitRefs.LocalBranch(baseBranch)}:{tracking}",
                    $"+refs/heads/{GitRefs.WorkBranchPrefix}*:refs/remotes/{remote}/{GitRefs.WorkBranchPrefix}*",
                ],
                new GitCallOptions { Timeout = options.FetchTimeout },
                cancellationToken).ConfigureAwait(false);
        }
        catch (GitException ex)
        {
            string why = ex.FirstErrorLine.Length > 0 ? ex.FirstErrorLine : ex.Message;
            decisions.Add(new ReconcileDecision(
                null, ReconcileOutcome.FetchFailed, $"could not fetch {remote}/{baseBranch} ({why}); comparing with the last fetched {remote}/{baseBranch}"));
        }

        if (await git.RefExistsAsync(tracking, cancellationToken).ConfigureAwait(false))
        {
            return new Upstream(tracking, $"{remote}/{baseBranch}");
        }

        decisions.Add(new ReconcileDecision(
            null, ReconcileOutcome.Error, $"{remote}/{baseBranch} is unknown (never fetched); reviews cannot be checked until it can be fetched"));
        return null;
    }

    /// <summary>The ref reviews are compared with and how it is named in messages (<c>origin/main</c>).</summary>
    internal sealed record Upstream(string Ref, string Name);
}
