namespace Aetherflow.Engine.Sessions;

/// <summary>Where a registered session stands. Stored as the lower-case name (<c>active</c>, <c>idle</c>, …).</summary>
public enum SessionStatus
{
    /// <summary>An agent is working in the session (set when a runtime starts or resumes it).</summary>
    Active,

    /// <summary>The session exists but no agent runs in it (its agent exited cleanly); it can be resumed.</summary>
    Idle,

    /// <summary>Its agent crashed or was stopped; kept as history until the sweep removes it.</summary>
    Terminated,

    /// <summary>The session's server answered and no longer has it (see <see cref="SessionRegistry.MarkStaleAsync"/>).</summary>
    Stale,
}
