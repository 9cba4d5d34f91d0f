using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Git;

/// <summary>How <see cref="GitClient"/> runs git. Defaults are set here, at the construction boundary.</summary>
public sealed record GitClientOptions
{
    /// <summary>The git executable (a name looked up on PATH, or a full path).</summary>
    public string GitExecutable { get; init; } = "git";

    /// <summary>How long one git call may run before it is killed (a call can ask for longer, e.g. a fetch).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock that measures timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Extra environment for every call (a null value removes a variable). Tests put a git identity here so they never
    /// depend on the user's git config.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
