namespace Aetherflow.Engine.Sessions;

/// <summary>What started a registered session. Stored as <c>pool</c>, <c>spawn</c> or <c>manual</c>.</summary>
public enum SessionOrigin
{
    /// <summary>The pool, for a tracker task (<see cref="SessionRecord.WorkRef"/> is the task id).</summary>
    Pool,

    /// <summary>A prompt given to <c>aetherflow spawn</c> (<see cref="SessionRecord.WorkRef"/> is the spawn id).</summary>
    Spawn,

    /// <summary>A person, who registered a session of their own.</summary>
    Manual,
}
