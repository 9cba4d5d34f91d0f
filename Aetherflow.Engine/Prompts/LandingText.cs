namespace Aetherflow.Engine.Prompts;

/// <summary>
/// The landing steps and the matching "never" lines, for tasks and spawns, in review (normal) and solo mode. They are
/// templates too: they are rendered with the prompt's own values first, and the result is inserted as the
/// <c>land_steps</c> and <c>land_donts</c> values (so nothing in them is expanded twice).
/// </summary>
/// <remarks>
/// Rules they follow: the agent is already in its worktree and never creates or removes one; base branch and remote
/// are variables; a missing remote or a failed push is tolerated; in solo mode, conflicts are resolved in the agent's
/// own worktree (base merged into the branch first), never in the person's main checkout; the state transition
/// (review or done) is the last required step, and nothing optional comes before it.
/// </remarks>
internal static class LandingText
{
    private const string CleanTree =
        "Check that `git status` is clean and that every change is committed on `{{branch}}`.";

    private const string Push =
        "Publish the branch: `git push -u {{remote}} {{branch}}`. If the repository has no remote called `{{remote}}`, "
        + "or the push fails (no network, no permission), don't retry and don't stop: the branch stays local and is "
        + "reviewed from there.";

    private const string PullRequest =
        "Only if the push worked and the `gh` command is installed and logged in: open a pull request with "
        + "`gh pr create --base {{base_branch}} --head {{branch}} --fill`. If that fails, or `gh` is missing, skip "
        + "this step.";

    private const string CheckMainCheckout =
        "Check the main checkout: `git -C {{project_dir}} status --short --branch` must show `{{base_branch}}` checked "
        + "out. If another branch is checked out there, don't switch it: {{stop}}, giving the reason "
        + "\"solo landing: the main checkout is not on {{base_branch}}\".";

    private const string RefreshBase =
        "Bring the base up to date: `git -C {{project_dir}} pull --ff-only {{remote}} {{base_branch}}`. If there is no "
        + "remote `{{remote}}`, or the pull fails, carry on with the local `{{base_branch}}`.";

    private const string MergeBaseIntoBranch =
        "In your worktree, merge the base into your branch: `git merge {{base_branch}}`. If there are conflicts and the "
        + "right result is clear, resolve them here, run the full verification again and commit. If resolving them "
        + "needs judgement beyond your task, run `git merge --abort`, then {{stop}}, giving the reason "
        + "\"merge conflicts with {{base_branch}}\" and naming the files.";

    private const string MergeBranchIntoBase =
        "Land: `git -C {{project_dir}} merge --no-ff {{branch}} -m \"Merge {{branch}} ({{work_id}})\"`. After the "
        + "previous step this merges cleanly. If it doesn't (the base moved in the meantime), run "
        + "`git -C {{project_dir}} merge --abort` and repeat from the \"bring the base up to date\" step once; if it "
        + "fails again, {{stop}}.";

    private const string PushBase =
        "Publish the base: `git -C {{project_dir}} push {{remote}} {{base_branch}}`. If there is no remote or the push "
        + "fails, carry on: the merge is in the local `{{base_branch}}`.";

    private const string NeverMergeYourself =
        "* Never merge `{{branch}}` into `{{base_branch}}` yourself, and never merge your own pull request: "
        + "a person decides when it lands.";

    private const string NeverConflictsInMainCheckout =
        "* Never resolve conflicts in the main checkout `{{project_dir}}`; resolve them in your worktree.";

    /// <summary>The steps for a tracker task.</summary>
    public static string TaskSteps(bool solo) => solo
        ? Numbered(
            CleanTree,
            CheckMainCheckout,
            RefreshBase,
            MergeBaseIntoBranch,
            MergeBranchIntoBase,
            PushBase + " Say so in the handoff.",
            "Write the handoff (described below) with `{{cmd_log}}`.",
            "Mark the task done: `{{cmd_done}}`. This is your last required step.")
        : Numbered(
            CleanTree,
            Push + " Say so in the handoff.",
            PullRequest,
            "Write the handoff (described below) with `{{cmd_log}}`.",
            "Mark the work ready for review: `{{cmd_review}}`. This is your last required step: the task is done once "
            + "`{{branch}}` has landed on `{{base_branch}}`.");

    /// <summary>The "never" lines for a tracker task.</summary>
    public static string TaskDonts(bool solo) => solo
        ? Lines(
            "* Never finish with `{{branch}}` unmerged: in solo mode nobody else lands it. If you can't land it, yield.",
            "* Never run `{{cmd_review}}`: in solo mode `{{cmd_done}}` is the final state.",
            NeverConflictsInMainCheckout)
        : Lines(
            NeverMergeYourself,
            "* Never run `{{cmd_done}}`: `{{cmd_review}}` is your final state.");

    /// <summary>The steps for a spawned agent (no tracker).</summary>
    public static string SpawnSteps(bool solo) => solo
        ? Numbered(
            CleanTree,
            CheckMainCheckout,
            RefreshBase,
            MergeBaseIntoBranch,
            MergeBranchIntoBase,
            PushBase + " Say so in your final message.")
        : Numbered(
            CleanTree,
            Push + " Say so in your final message.",
            PullRequest);

    /// <summary>The "never" lines for a spawned agent.</summary>
    public static string SpawnDonts(bool solo) => solo
        ? Lines(
            "* Never finish with `{{branch}}` unmerged unless you are stuck: in solo mode nobody else lands it.",
            NeverConflictsInMainCheckout)
        : Lines(NeverMergeYourself);

    /// <summary>How an agent gives up at a landing step.</summary>
    public static string StopFor(bool spawn) => spawn
        ? "stop as described under \"When you are stuck\""
        : "yield as described under \"When you are stuck\"";

    private static string Numbered(params string[] steps) =>
        string.Join('\n', steps.Select((step, i) => $"{i + 1}. {step}"));

    private static string Lines(params string[] lines) => string.Join('\n', lines);
}
