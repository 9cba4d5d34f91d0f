using Aetherflow.Engine.Config;
using Aetherflow.Engine.Hosting;

namespace Aetherflow.Engine.Sessions;

/// <summary>Where the session registry lives and how long it waits.</summary>
public sealed class SessionRegistryOptions
{
    /// <summary>The registry folder (absolute); it holds <c>sessions.json</c> and <c>sessions.json.lock</c>.</summary>
    public required string Directory { get; init; }

    /// <summary>
    /// How long an operation waits for another process to release the lock before failing with a clear error.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long rebuilding a corrupt file may wait for the <see cref="ISessionInventory"/>. The lock is held meanwhile,
    /// so keep it well under <see cref="LockTimeout"/>.
    /// </summary>
    public TimeSpan InventoryTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most terminated and stale records kept; <see cref="SessionRegistry.SweepAsync"/> removes the oldest beyond
    /// it, so the file stays bounded however many sessions come and go. Active and idle records do not count.
    /// </summary>
    public int MaxInactiveRecords { get; init; } = 1000;

    /// <summary>
    /// The registry folder for a configuration: <c>session_dir</c> when set (<c>~/</c> expanded, a relative path
    /// taken from the project folder), else <see cref="AetherflowPaths.SessionsDirectory"/>.
    /// </summary>
    public static SessionRegistryOptions FromConfig(AetherflowConfig config, AetherflowPaths paths)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(paths);
        return new SessionRegistryOptions { Directory = ResolveDirectory(config.SessionDir, paths, config.ProjectDirectory) };
    }

    /// <summary>Resolves a <c>session_dir</c> value (empty for the default) to an absolute folder.</summary>
    public static string ResolveDirectory(string? sessionDir, AetherflowPaths paths, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(projectDirectory);
        if (string.IsNullOrWhiteSpace(sessionDir))
        {
            return paths.SessionsDirectory;
        }

        if (sessionDir == "~" || sessionDir.StartsWith("~/", StringComparison.Ordinal))
        {
            return Path.GetFullPath(Path.Combine(paths.Home, sessionDir.TrimStart('~').TrimStart('/')));
        }

        return Path.GetFullPath(sessionDir, projectDirectory);
    }
}
