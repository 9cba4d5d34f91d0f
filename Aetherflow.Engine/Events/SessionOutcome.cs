namespace Aetherflow.Engine.Events;

/// <summary>How a session's turn ended.</summary>
/// <param name="Kind">Succeeded, failed, aborted, incomplete or deleted.</param>
/// <param name="Reason">One sanitised line, e.g. <c>finished</c> or <c>APIError: scripted failure</c>.</param>
/// <param name="At">When the engine judged it.</param>
public sealed record SessionOutcome(SessionOutcomeKind Kind, string Reason, DateTimeOffset At)
{
    /// <summary>True for <see cref="SessionOutcomeKind.Succeeded"/>.</summary>
    public bool Succeeded => Kind == SessionOutcomeKind.Succeeded;
}
