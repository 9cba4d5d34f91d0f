using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Git;

/// <summary>
/// Runs <c>git</c> in one folder: argv elements only (no shell), a timeout on every call, success decided by the exit
/// code. Callers build refs with <see cref="GitRefs"/> and put <c>--</c> before positional refs and paths where git
/// accepts it.
/// </summary>
public sealed class GitClient
{
    // Variables that would point git at another repository, work tree or index than the folder we run in: set when the
    // engine itself runs from a git hook or an alias, and never what we mean.
    private static readonly string[] RepositoryOverrides =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX",
    ];

    private const int MaxCommandTextLength = 160;

    private readonly GitClientOptions options;
    private readonly Dictionary<string, string?> environment;

    /// <summary>Creates a client for the repository or worktree folder <paramref name="workingDirectory"/>.</summary>
    public GitClient(string workingDirectory, GitClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        WorkingDirectory = Path.GetFullPath(workingDirectory);
        this.options = options ?? new GitClientOptions();
        if (this.options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "the git timeout must be positive");
        }

        environment = RepositoryOverrides.ToDictionary(name => name, _ => (string?)null);

        // Never wait for a password on a terminal nobody is looking at: fail, and let the timeout catch the rest.
        environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (var (name, value) in this.options.Environment)
        {
            environment[name] = value;
        }
    }

    /// <summary>The folder git runs in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The options this client was made with.</summary>
    public GitClientOptions Options => options;

    /// <summary>A client with the same options for another folder (e.g. a worktree of this repository).</summary>
    public GitClient ForDirectory(string workingDirectory) => new(workingDirectory, options);

    /// <summary>Runs git and returns its result whatever the exit code.</summary>
    /// <exception cref="GitException">git could not be started or timed out.</exception>
    public Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(arguments, call: null, cancellationToken);

    /// <summary>Runs git with per-call settings and returns its result whatever the exit code.</summary>
    /// <exception cref="GitException">git could not be started or timed out.</exception>
    public async Task<GitResult> RunAsync(IReadOnlyList<string> arguments, GitCallOptions? call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        TimeSpan timeout = call?.Timeout ?? options.Timeout;
        Dictionary<string, string?> env = environment;
        if (call?.Environment is { Count: > 0 } extra)
        {
            env = new Dictionary<string, string?>(environment);
            foreach (var (name, value) in extra)
            {
                env[name] = value;
            }
        }

        // core.quotePath=false keeps non-ASCII paths readable; colour is off whatever the user's config says, because
        // callers read this output.
        string[] argv = ["-c", "color.ui=false", "-c", "core.quotePath=false", .. arguments];
        Command command = Cli.Wrap(options.GitExecutable)
            .WithArguments(argv)
            .WithWorkingDirectory(WorkingDirectory)
            .WithEnvironmentVariables(env)
            .WithValidation(CommandResultValidation.None);
        if (call?.StandardInput is { } input)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input, Encoding.UTF8));
        }

        if (!Directory.Exists(WorkingDirectory))
        {
            string text = Describe(arguments);
            throw new GitException(text, null, string.Empty, $"{text} cannot run: folder {WorkingDirectory} does not exist");
        }

        using var timeoutSource = new CancellationTokenSource(timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        long started = Stopwatch.GetTimestamp();
        try
        {
            BufferedCommandResult result = await command
                .ExecuteBufferedAsync(Encoding.UTF8, Encoding.UTF8, linked.Token)
                .ConfigureAwait(false);
            var gitResult = new GitResult(result.ExitCode, result.StandardOutput, result.StandardError);
            options.Logger.LogDebug(
                "{Command} in {Directory} exited {ExitCode} after {Elapsed} ms",
                Describe(arguments), WorkingDirectory, result.ExitCode, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return gitResult;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            string text = Describe(arguments);
            throw new GitException(text, null, string.Empty, $"{text} timed out after {FormatSpan(timeout)} in {WorkingDirectory}; it was stopped", ex);
        }
        catch (Win32Exception ex)
        {
            string text = Describe(arguments);
            throw new GitException(text, null, string.Empty, $"{text} could not start ({ex.Message}); install git or set its path", ex);
        }
    }

    /// <summary>Runs git and returns its stdout; any non-zero exit code is an error.</summary>
    /// <exception cref="GitException">git failed (the message names the command and git's first stderr line).</exception>
    public Task<string> RunCheckedAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunCheckedAsync(arguments, call: null, cancellationToken);

    /// <summary>Runs git with per-call settings and returns its stdout; any non-zero exit code is an error.</summary>
    /// <exception cref="GitException">git failed (the message names the command and git's first stderr line).</exception>
    public async Task<string> RunCheckedAsync(IReadOnlyList<string> arguments, GitCallOptions? call, CancellationToken cancellationToken)
    {
        GitResult result = await RunAsync(arguments, call, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.StandardOutput : throw Failure(arguments, result);
    }

    /// <summary>The exception for a git call that exited with an unexpected code.</summary>
    public static GitException Failure(IReadOnlyList<string> arguments, GitResult result)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(result);
        string text = Describe(arguments);
        string error = result.FirstErrorLine;
        string message = error.Length > 0
            ? $"{text} failed (exit {result.ExitCode}): {error}"
            : $"{text} failed (exit {result.ExitCode})";
        return new GitException(text, result.ExitCode, error, message);
    }

    /// <summary>The object id <paramref name="revision"/> names (peeled to a commit), or null when there is none.</summary>
    /// <exception cref="GitException">git failed for another reason than a missing revision.</exception>
    public async Task<string?> ResolveCommitAsync(string revision, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(revision);
        if (revision.StartsWith('-'))
        {
            // rev-parse has no "--" for revisions (there it separates paths), so refuse anything that reads as an option.
            throw new ArgumentException($"'{revision}' is not a revision", nameof(revision));
        }

        string[] args = ["rev-parse", "--verify", "--quiet", revision + "^{commit}"];
        GitResult result = await RunAsync(args, cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => result.StandardOutput.Trim(),
            1 => null,
            _ => throw Failure(args, result),
        };
    }

    /// <summary>True when the full ref <paramref name="refName"/> (e.g. <c>refs/heads/main</c>) exists.</summary>
    /// <exception cref="GitException">git failed.</exception>
    public async Task<bool> RefExistsAsync(string refName, CancellationToken cancellationToken) =>
        await ResolveCommitAsync(refName, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>True when <paramref name="ancestor"/> is reachable from <paramref name="descendant"/> (or equal to it).</summary>
    /// <exception cref="GitException">git failed, e.g. a revision does not exist.</exception>
    public async Task<bool> IsAncestorAsync(string ancestor, string descendant, CancellationToken cancellationToken)
    {
        string[] args = ["merge-base", "--is-ancestor", "--", ancestor, descendant];
        GitResult result = await RunAsync(args, cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw Failure(args, result),
        };
    }

    /// <summary>The best common ancestor of two revisions, or null when they share no history.</summary>
    /// <exception cref="GitException">git failed.</exception>
    public async Task<string?> MergeBaseAsync(string first, string second, CancellationToken cancellationToken)
    {
        string[] args = ["merge-base", "--", first, second];
        GitResult result = await RunAsync(args, cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => result.StandardOutput.Trim(),
            1 => null,
            _ => throw Failure(args, result),
        };
    }

    /// <summary>The names of the repository's remotes.</summary>
    /// <exception cref="GitException">git failed.</exception>
    public async Task<IReadOnlyList<string>> ListRemotesAsync(CancellationToken cancellationToken)
    {
        string output = await RunCheckedAsync(["remote"], cancellationToken).ConfigureAwait(false);
        return new GitResult(0, output, string.Empty).OutputLines;
    }

    internal static string Describe(IReadOnlyList<string> arguments)
    {
        string text = "git " + string.Join(' ', arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxCommandTextLength ? text : string.Concat(text.AsSpan(0, MaxCommandTextLength - 1), "…");
    }

    private static string FormatSpan(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#}s" : $"{span.TotalMilliseconds:0}ms";
}
