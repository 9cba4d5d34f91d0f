namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>A status change of the built-in store, named after the <c>aetherflow task</c> subcommand that asks for it.</summary>
public enum TaskAction
{
    /// <summary>Claim: open → in_progress, only when every dependency is resolved (unless forced).</summary>
    Start,

    /// <summary>in_progress → reviewing.</summary>
    Review,

    /// <summary>Any non-terminal status → done.</summary>
    Done,

    /// <summary>Any non-terminal status → canceled.</summary>
    Cancel,

    /// <summary>Any status → open.</summary>
    Open,

    /// <summary>Any status → draft.</summary>
    Draft,
}
