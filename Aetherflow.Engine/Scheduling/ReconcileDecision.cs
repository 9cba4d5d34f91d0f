namespace Aetherflow.Engine.Scheduling;

/// <summary>One decision of a review reconcile pass, for the engine's decision log.</summary>
/// <param name="TaskId">The task it is about (a validated id), or null for a decision about the pass or an invalid id.</param>
/// <param name="Outcome">What was decided.</param>
/// <param name="Message">One line for a person, e.g. "ts-1 landed on origin/main (squash merge); marked done".</param>
public sealed record ReconcileDecision(string? TaskId, ReconcileOutcome Outcome, string Message)
{
    /// <summary>
    /// True when the previous pass made the same decision (same task, outcome and message): a decision log can leave
    /// it out instead of repeating "not landed yet" every interval.
    /// </summary>
    public bool Repeated { get; init; }
}
