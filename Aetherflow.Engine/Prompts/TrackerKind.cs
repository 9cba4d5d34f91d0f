namespace Aetherflow.Engine.Prompts;

/// <summary>Which tracker the agents' prompts name commands for.</summary>
public enum TrackerKind
{
    /// <summary>The built-in task store, driven with <c>aetherflow task …</c>.</summary>
    Builtin,

    /// <summary>The prog CLI.</summary>
    Prog,
}
