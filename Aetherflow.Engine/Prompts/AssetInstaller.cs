using Aetherflow.Engine.Opencode;

namespace Aetherflow.Engine.Prompts;

/// <summary>
/// Copies the installable assets (<see cref="AssetCatalog.InstallablePaths"/>: the skills, the reviewer agents and the
/// aetherflow-events plugin) into an opencode config folder. <see cref="Plan"/> compares every file byte for byte with
/// what is there, so a second install writes nothing; <see cref="Execute"/> writes what the plan says, each file
/// atomically (a temporary file renamed over the old one), and carries on past a file that fails.
/// </summary>
/// <remarks>
/// A config folder that holds a plugin makes opencode install its npm dependencies before the first session (13 s
/// online, a stall offline), so the plan also writes the npm state of <see cref="OpencodeConfigDirectory"/> when any
/// of it is missing. Existing npm files are never replaced.
/// </remarks>
public sealed class AssetInstaller
{
    private readonly AssetCatalog catalog;

    /// <param name="catalog">The embedded assets.</param>
    /// <param name="targetDirectory">The opencode config folder (absolute).</param>
    public AssetInstaller(AssetCatalog catalog, string targetDirectory)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        if (!Path.IsPathRooted(targetDirectory))
        {
            throw new ArgumentException($"the install target must be an absolute path, got '{targetDirectory}'", nameof(targetDirectory));
        }

        this.catalog = catalog;
        TargetDirectory = Path.TrimEndingDirectorySeparator(targetDirectory);
    }

    /// <summary>The opencode config folder files go to.</summary>
    public string TargetDirectory { get; }

    /// <summary>What an install would do now: one step per asset, then the npm state.</summary>
    public IReadOnlyList<AssetInstallStep> Plan()
    {
        var steps = new List<AssetInstallStep>();
        foreach (string path in catalog.InstallablePaths)
        {
            steps.Add(new AssetInstallStep(path, IsCurrent(path) ? AssetInstallAction.Skip : AssetInstallAction.Write));
        }

        foreach (string path in OpencodeConfigDirectory.SeedPaths)
        {
            bool present = Path.Exists(Path.Combine(TargetDirectory, path));
            steps.Add(new AssetInstallStep(path, present ? AssetInstallAction.Skip : AssetInstallAction.Write, IsNpmState: true));
        }

        return steps;
    }

    /// <summary>Carries out <paramref name="plan"/>; returns the steps with the error of each write that failed.</summary>
    public IReadOnlyList<AssetInstallStep> Execute(IReadOnlyList<AssetInstallStep> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var done = new List<AssetInstallStep>(plan.Count);
        string? seedError = null;
        bool seeded = false;
        foreach (AssetInstallStep step in plan)
        {
            if (step.Action == AssetInstallAction.Skip)
            {
                done.Add(step);
            }
            else if (step.IsNpmState)
            {
                if (!seeded)
                {
                    seeded = true;
                    seedError = Attempt(() => OpencodeConfigDirectory.SeedPluginDependencies(TargetDirectory));
                }

                done.Add(step with { Error = seedError });
            }
            else
            {
                done.Add(step with { Error = Attempt(() => Write(step.Path)) });
            }
        }

        return done;
    }

    private static string? Attempt(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message.Split('\n')[0].Trim();
        }
    }

    private string Destination(string path) => Path.Combine(TargetDirectory, path.Replace('/', Path.DirectorySeparatorChar));

    private bool IsCurrent(string path)
    {
        string destination = Destination(path);
        try
        {
            return File.Exists(destination) && File.ReadAllBytes(destination).AsSpan().SequenceEqual(catalog.ReadBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable: writing it is the only way to make it current (and reports why if that fails too).
            return false;
        }
    }

    private void Write(string path)
    {
        string destination = Destination(path);
        string folder = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, catalog.ReadBytes(path));
            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
