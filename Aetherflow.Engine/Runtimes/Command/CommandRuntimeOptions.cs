namespace Aetherflow.Engine.Runtimes.Command;

/// <summary>Settings of the <c>command</c> runtime.</summary>
public sealed record CommandRuntimeOptions
{
    /// <summary>
    /// The <c>spawn_cmd</c> command line. It is split into words like a shell would split plain and quoted words, but
    /// nothing is expanded; the rendered prompt is appended as the last argument.
    /// </summary>
    public required string SpawnCommand { get; init; }

    /// <summary>
    /// The folder of per-agent logs (<c>&lt;agent&gt;.log</c>), e.g. <c>&lt;state&gt;/projects/&lt;project&gt;/agents</c>.
    /// Created owner-only (0700) when missing.
    /// </summary>
    public required string LogDirectory { get; init; }
}
