using System.ComponentModel;
using Aetherflow.Engine.Config;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>
/// Runs prog commands: never through a shell, one argv element per argument, with the engine's environment, one
/// limiter in front of every call, a timeout per attempt, and retries while prog's database is locked. Failures
/// become one-line <see cref="TaskSourceException"/>s that name the command.
/// </summary>
internal sealed class ProgRunner
{
    private const int MaxErrorBytes = 64 * 1024;

    private readonly ProgOptions options;
    private readonly string? databasePath;
    private readonly SemaphoreSlim limiter;
    private readonly Dictionary<string, string?> environment;

    public ProgRunner(ProgOptions options, string? databasePath)
    {
        this.options = options;
        this.databasePath = databasePath;
        limiter = new SemaphoreSlim(options.MaxConcurrentCalls, options.MaxConcurrentCalls);

        // The child inherits the process environment; overlay the engine's, and remove PROG_DB when the engine has
        // none, so prog opens exactly the database ChangeSignalPath names.
        environment = options.Environment.Variables.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
        foreach (string name in new[] { "PROG_DB", "HOME" })
        {
            if (options.Environment.Get(name) is null)
            {
                environment[name] = null;
            }
        }
    }

    /// <summary>Runs the command and returns its standard output, or throws <see cref="TaskSourceException"/>.</summary>
    public async Task<string> RunAsync(ProgInvocation invocation, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            ProgResult result = await RunOnceAsync(invocation, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                if (result.OutputTruncated)
                {
                    throw new TaskSourceException(
                        $"{invocation.Display} printed more than {options.MaxOutputBytes} bytes; the tracker output was not read");
                }

                return result.StandardOutput;
            }

            string message = ProgErrorText.Message(result);
            if (ProgErrorText.IsLocked(message) && attempt <= options.LockedRetries)
            {
                // The lock is held by another prog process (an agent, a person); back off without holding the limiter.
                TimeSpan delay = options.LockedRetryDelay * attempt;
                options.Logger.LogInformation(
                    "{Command}: prog's database is locked; retry {Retry} of {Retries} in {Delay}",
                    invocation.Display, attempt, options.LockedRetries, DurationText.Format(delay));
                await Task.Delay(delay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw Failure(invocation, message, attempt);
        }
    }

    private async Task<ProgResult> RunOnceAsync(ProgInvocation invocation, CancellationToken cancellationToken)
    {
        string executable = ProgExecutable.Resolve(options.Executable, options.Environment)
            ?? throw new TaskSourceException(NotInstalledMessage($"'{options.Executable}' was not found"));

        await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(options.Timeout, options.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var output = new BoundedOutput(options.MaxOutputBytes);
            var error = new BoundedOutput(MaxErrorBytes);
            Command command = Cli.Wrap(executable)
                .WithArguments(invocation.Arguments)
                .WithEnvironmentVariables(environment)
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(output.Target)
                .WithStandardErrorPipe(error.Target);

            long started = options.TimeProvider.GetTimestamp();
            CommandResult result;
            try
            {
                // Cancellation kills the whole process tree (CliWrap's forceful cancellation).
                result = await command.ExecuteAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TaskSourceException(
                    $"{invocation.Display} timed out after {DurationText.Format(options.Timeout)} and was stopped; check that prog answers from a shell",
                    ex);
            }
            catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
            {
                throw new TaskSourceException(NotInstalledMessage($"'{executable}' could not be started: {(ex.InnerException ?? ex).Message}"), ex);
            }

            options.Logger.LogDebug(
                "{Command} exited with {ExitCode} in {Elapsed} ms",
                invocation.Display, result.ExitCode, (long)options.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
            return new ProgResult(result.ExitCode, output.Text, error.Text, output.Truncated);
        }
        finally
        {
            limiter.Release();
        }
    }

    private TaskSourceException Failure(ProgInvocation invocation, string message, int attempts)
    {
        string failed = $"{invocation.Display} failed: {message}";
        if (invocation.TaskId is { } taskId
            && (ProgErrorText.IsNotFound(message) || (invocation.ForeignKeyMeansNotFound && ProgErrorText.IsForeignKeyFailure(message))))
        {
            return new TaskNotFoundException(taskId, failed);
        }

        if (ProgErrorText.IsNotInitialised(message))
        {
            string database = databasePath ?? "(set PROG_DB or HOME)";
            return new TaskSourceException(
                $"prog's database {database} is not initialised: run 'PROG_DB={database} prog init' once ({failed})");
        }

        if (ProgErrorText.IsLocked(message))
        {
            return new TaskSourceException($"{failed} (still locked after {attempts} attempts)");
        }

        return new TaskSourceException(failed);
    }

    private static string NotInstalledMessage(string detail) =>
        $"prog is not installed or not on PATH ({detail}): install prog, set prog_bin to its full path, or set task_source: builtin to use the built-in task store";
}
