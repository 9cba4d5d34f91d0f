using Aetherflow.Engine.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Opencode.Install;

/// <summary>Where and how <see cref="OpencodeInstaller"/> installs opencode.</summary>
public sealed record OpencodeInstallerOptions
{
    /// <summary>The folder opencode is installed into and found in (<c>node_modules/.bin/opencode</c> below it).</summary>
    public required string InstallDirectory { get; init; }

    /// <summary>The environment: its PATH is searched for opencode and npm, and npm runs with it.</summary>
    public required HostEnvironment Environment { get; init; }

    /// <summary>The npm package to install.</summary>
    public string Package { get; init; } = OpencodeInstaller.PackageName;

    /// <summary>The version to install: the one Aetherflow is tested against.</summary>
    public string Version { get; init; } = OpencodeConfigDirectory.TestedVersion;

    /// <summary>How long npm may take before it is stopped.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a running installation reports progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for the timeout and the progress reports.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The options for the user of <paramref name="environment"/>: the install folder is <c>$XDG_CACHE_HOME/aetherflow/opencode</c>.</summary>
    public static OpencodeInstallerOptions ForUser(HostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new OpencodeInstallerOptions
        {
            InstallDirectory = Path.Combine(AetherflowPaths.From(environment).CacheDirectory, "opencode"),
            Environment = environment,
        };
    }
}
