namespace Aetherflow.Engine.Platform;

/// <summary>What to start: one program with its arguments, folder, environment additions and log file.</summary>
public sealed record ProcessLaunch
{
    /// <summary>
    /// The program: a bare name is looked up on the child's <c>PATH</c>; a name with a <c>/</c> is taken relative to
    /// <see cref="WorkingDirectory"/>, as a shell that changed into that folder would.
    /// </summary>
    public required string Executable { get; init; }

    /// <summary>The arguments after the program name, passed as they are: no shell sees them.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The folder the process starts in; must exist.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// Variables set on top of the launcher's base environment (replacing a base variable of the same name). Nothing
    /// else of the engine's own environment reaches the child.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The file that receives stdout and stderr, appended to and created owner-only (0600) if missing. Its folder must
    /// exist.
    /// </summary>
    public required string LogFile { get; init; }
}
