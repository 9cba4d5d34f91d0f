using System.ComponentModel;
using System.Text;
using Aetherflow.Engine.Platform;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Opencode.Install;

/// <summary>
/// Finds the opencode executable, and when it is not installed at all installs the tested version with npm into the
/// user's cache (<c>$XDG_CACHE_HOME/aetherflow/opencode</c>), once: later runs reuse that copy.
/// </summary>
/// <remarks>
/// Only the default bare name <c>opencode</c> is ever installed: an <c>opencode_bin</c> that names another program
/// or a path is the user's choice, and a missing one is an error to fix, not something to download. npm installs
/// into a staging folder that is renamed into place at the end, so an interrupted install is never mistaken for a
/// finished one.
/// </remarks>
public sealed class OpencodeInstaller
{
    /// <summary>The npm package that ships opencode.</summary>
    public const string PackageName = "opencode-ai";

    /// <summary>The program name that may be installed when it is missing.</summary>
    public const string DefaultProgram = "opencode";

    private const int MaxErrorLength = 300;

    private readonly OpencodeInstallerOptions options;

    public OpencodeInstaller(OpencodeInstallerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.InstallDirectory);
        this.options = options;
        InstallDirectory = Path.GetFullPath(options.InstallDirectory);
    }

    /// <summary>The folder opencode is installed into.</summary>
    public string InstallDirectory { get; }

    /// <summary>Where the installed executable is (whether or not it exists yet).</summary>
    public string InstalledExecutable => ExecutableIn(InstallDirectory);

    /// <summary>The package and version this installer installs, e.g. <c>opencode-ai@1.18.33</c>.</summary>
    public string PackageSpec => $"{options.Package}@{options.Version}";

    /// <summary>
    /// The opencode to run for <paramref name="program"/> (the <c>opencode_bin</c> setting) without installing
    /// anything: the program as found on PATH (or the given path), else the copy in the cache; null when neither exists.
    /// </summary>
    public string? Find(string program)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        if (ExecutableResolver.Find(program, options.Environment) is { } found)
        {
            return found;
        }

        return program == DefaultProgram && IsExecutable(InstalledExecutable) ? InstalledExecutable : null;
    }

    /// <summary>
    /// The opencode to run for <paramref name="program"/>: found as by <see cref="Find"/>, or — for the default name
    /// only — installed with npm first, reporting progress to <paramref name="progress"/>.
    /// </summary>
    /// <exception cref="OpencodeInstallException">opencode is missing and cannot be installed (no npm, npm failed, a
    /// configured path that does not exist); the message says what to do.</exception>
    public async Task<string> EnsureAsync(string program, IProgress<OpencodeInstallProgress>? progress, CancellationToken cancellationToken)
    {
        if (Find(program) is { } existing)
        {
            return existing;
        }

        if (program != DefaultProgram)
        {
            throw new OpencodeInstallException(program.Contains('/', StringComparison.Ordinal)
                ? $"opencode_bin '{program}' does not exist or is not executable; fix the path, or remove the setting to use opencode from PATH"
                : $"opencode_bin '{program}' is not on PATH; install it, or remove the setting to use opencode");
        }

        string npm = ExecutableResolver.Find("npm", options.Environment)
            ?? throw new OpencodeInstallException(
                $"opencode is not installed and npm is missing, so aetherflow cannot install it: install Node.js with npm (e.g. 'sudo apt-get install npm'), or install opencode yourself (https://opencode.ai) and put it on PATH");
        return await InstallAsync(npm, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> InstallAsync(string npm, IProgress<OpencodeInstallProgress>? progress, CancellationToken cancellationToken)
    {
        string parent = Path.GetDirectoryName(InstallDirectory)!;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $"{Path.GetFileName(InstallDirectory)}.installing-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        long started = options.TimeProvider.GetTimestamp();
        TimeSpan Elapsed() => options.TimeProvider.GetElapsedTime(started);
        progress?.Report(new OpencodeInstallProgress(OpencodeInstallStage.Started, PackageSpec, InstallDirectory, TimeSpan.Zero));
        options.Logger.LogInformation("Installing {Package} with {Npm} into {Directory}", PackageSpec, npm, InstallDirectory);
        try
        {
            BufferedCommandResult result = await RunNpmAsync(npm, staging, () => progress?.Report(
                new OpencodeInstallProgress(OpencodeInstallStage.Running, PackageSpec, InstallDirectory, Elapsed())), cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new OpencodeInstallException(
                    $"installing {PackageSpec} with npm failed (exit code {result.ExitCode}): {LastLine(result.StandardError, result.StandardOutput)}; check the network and npm's registry settings, or install opencode yourself and put it on PATH");
            }

            if (!IsExecutable(ExecutableIn(staging)))
            {
                throw new OpencodeInstallException(
                    $"npm installed {PackageSpec} but it brought no opencode executable (node_modules/.bin/opencode); install opencode yourself and put it on PATH");
            }

            MoveIntoPlace(staging);
        }
        finally
        {
            DeleteQuietly(staging);
        }

        options.Logger.LogInformation("Installed {Package} into {Directory} in {Elapsed}", PackageSpec, InstallDirectory, Elapsed());
        progress?.Report(new OpencodeInstallProgress(OpencodeInstallStage.Finished, PackageSpec, InstallDirectory, Elapsed()));
        return InstalledExecutable;
    }

    private async Task<BufferedCommandResult> RunNpmAsync(string npm, string prefix, Action tick, CancellationToken cancellationToken)
    {
        Command command = Cli.Wrap(npm)
            .WithArguments(["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", "--loglevel=error", PackageSpec])
            .WithWorkingDirectory(prefix)
            .WithEnvironmentVariables(options.Environment.Variables.ToDictionary(v => v.Key, v => (string?)v.Value))
            .WithValidation(CommandResultValidation.None);
        using var timeout = new CancellationTokenSource(options.Timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var ticking = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        Task ticks = TickAsync(tick, ticking.Token);
        try
        {
            return await command.ExecuteBufferedAsync(Encoding.UTF8, Encoding.UTF8, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OpencodeInstallException(
                $"installing {PackageSpec} with npm did not finish within {options.Timeout.TotalMinutes:0} minutes and was stopped; check the network, or install opencode yourself and put it on PATH", ex);
        }
        catch (Win32Exception ex)
        {
            throw new OpencodeInstallException($"npm ({npm}) could not be started: {ex.Message}; reinstall Node.js with npm, or install opencode yourself", ex);
        }
        finally
        {
            await ticking.CancelAsync().ConfigureAwait(false);
            await ticks.ConfigureAwait(false);
        }
    }

    private async Task TickAsync(Action tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.ProgressInterval, options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                tick();
            }
        }
        catch (OperationCanceledException)
        {
            // npm finished (or was stopped): no more progress to report.
        }
    }

    // Another aetherflow may have finished the same install meanwhile: its copy is as good as ours.
    private void MoveIntoPlace(string staging)
    {
        if (IsExecutable(InstalledExecutable))
        {
            options.Logger.LogInformation("{Directory} was installed by another process meanwhile; using that copy", InstallDirectory);
            return;
        }

        if (Directory.Exists(InstallDirectory))
        {
            options.Logger.LogWarning("Replacing the incomplete opencode install in {Directory}", InstallDirectory);
            Directory.Delete(InstallDirectory, recursive: true);
        }

        Directory.Move(staging, InstallDirectory);
    }

    private void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            options.Logger.LogWarning("Could not delete the staging folder {Directory}: {Error}", directory, ex.Message);
        }
    }

    private static string ExecutableIn(string directory) => Path.Combine(directory, "node_modules", ".bin", DefaultProgram);

    private static bool IsExecutable(string path) => UnixNative.Access(path, UnixNative.XOk) == 0 && File.Exists(path);

    private static string LastLine(string error, string output)
    {
        string text = error.Trim().Length > 0 ? error : output;
        string line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
        return line.Length > MaxErrorLength ? line[..MaxErrorLength] + "…" : line;
    }
}
