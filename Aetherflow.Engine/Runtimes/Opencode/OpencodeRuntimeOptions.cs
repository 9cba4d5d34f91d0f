using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Sessions;

namespace Aetherflow.Engine.Runtimes.Opencode;

/// <summary>How the opencode runtime creates and drives sessions.</summary>
public sealed record OpencodeRuntimeOptions
{
    /// <summary>The project name, recorded in each session's metadata and the registry.</summary>
    public required string Project { get; init; }

    /// <summary>
    /// How the registry names this server: stable across restarts of a managed server (whose port can change), so a
    /// session keeps one record.
    /// </summary>
    public required string ServerRef { get; init; }

    /// <summary>The model for new prompts, or null for opencode's default.</summary>
    public OpencodeModelRef? Model { get; init; }

    /// <summary>Permission rules set on every session (in addition to the server's).</summary>
    public IReadOnlyList<OpencodePermissionRule> Permissions { get; init; } = [];

    /// <summary>How long a prompt may go unanswered (no busy session) before it is sent again, once.</summary>
    public TimeSpan StartConfirmation { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The session registry to record sessions in; null keeps no record.</summary>
    public SessionRegistry? Registry { get; init; }
}
