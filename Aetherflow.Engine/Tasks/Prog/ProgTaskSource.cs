using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>
/// The prog CLI (github.com/baiirun/prog) as a task source. It reads only prog's JSON output, passes every argument
/// as its own argv element, validates every task id before it reaches argv and every id prog prints before it reaches
/// the engine (skipping and counting the ones that fail), and never uses <c>prog block</c>, which prog no longer has.
/// </summary>
public sealed class ProgTaskSource : ITaskSource
{
    /// <summary>The longest log message accepted; one argv element may not exceed 128 KiB on Linux.</summary>
    public const int MaxLogMessageLength = 64 * 1024;

    /// <summary>The longest timeout accepted for one call.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    private const int MaxReportedEntries = 5;

    private readonly ProgOptions options;
    private readonly ProgRunner runner;
    private long skippedEntries;

    public ProgTaskSource(ProgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Identifiers.IsProjectName(options.Project))
        {
            throw new ArgumentException($"'{TerminalText.SanitizeLine(options.Project)}' is not a valid project name: {Identifiers.ProjectNameRule}", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.Executable) || options.Executable.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("prog_bin must name the prog executable", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Timeout, MaxTimeout, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentCalls, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.LockedRetries, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LockedRetryDelay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxOutputBytes, 1, nameof(options));

        this.options = options;
        ChangeSignalPath = DatabasePath(options.Environment);
        runner = new ProgRunner(options, ChangeSignalPath);
    }

    /// <inheritdoc/>
    public string Name => "prog";

    /// <summary>prog's database: <c>$PROG_DB</c>, else <c>$HOME/.prog/prog.db</c>; null when neither is set.</summary>
    public string? ChangeSignalPath { get; }

    /// <summary>
    /// How many entries of prog's output were dropped so far (invalid ids, unknown statuses, epics in the ready list);
    /// each drop is also logged as a warning.
    /// </summary>
    public long SkippedEntryCount => Interlocked.Read(ref skippedEntries);

    /// <summary>prog's database for an environment, as prog itself picks it.</summary>
    public static string? DatabasePath(HostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Get("PROG_DB") ?? (environment.Get("HOME") is { } home ? Path.Combine(home, ".prog", "prog.db") : null);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TrackerTask>> ListReadyAsync(CancellationToken cancellationToken)
    {
        var invocation = ProgInvocation.Of("ready", "-p", options.Project, "--json");
        List<ProgReadyEntry?> entries = await RunJsonAsync(invocation, ProgJsonContext.Default.ListProgReadyEntry, cancellationToken).ConfigureAwait(false);
        var tasks = new List<TrackerTask>(entries.Count);
        var skipped = new List<string>();
        foreach (ProgReadyEntry? entry in entries)
        {
            if (entry is null || !Identifiers.IsTaskId(entry.Id))
            {
                skipped.Add($"invalid task id {Quote(entry?.Id)}");
            }
            else if (entry.Type is not null and not "task")
            {
                skipped.Add($"{entry.Id} is of type {Quote(entry.Type)}, not a task");
            }
            else
            {
                tasks.Add(new TrackerTask(entry.Id!, entry.Title ?? string.Empty, entry.Priority, TrackerTaskState.Open));
            }
        }

        ReportSkipped(invocation, skipped);
        return tasks;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TrackerTask>> ListAsync(TrackerTaskState state, CancellationToken cancellationToken)
    {
        var invocation = ProgInvocation.Of("list", "--status", ProgStatus.ToProg(state), "--type", "task", "--json", "-p", options.Project);
        List<ProgItem?> items = await RunJsonAsync(invocation, ProgJsonContext.Default.ListProgItem, cancellationToken).ConfigureAwait(false);
        var tasks = new List<TrackerTask>(items.Count);
        var skipped = new List<string>();
        foreach (ProgItem? item in items)
        {
            if (item is null || !Identifiers.IsTaskId(item.Id))
            {
                skipped.Add($"invalid task id {Quote(item?.Id)}");
            }
            else if (ProgStatus.FromProg(item.Status) is not { } itemState)
            {
                skipped.Add($"{item.Id} has unknown status {Quote(item.Status)}");
            }
            else
            {
                tasks.Add(new TrackerTask(item.Id!, item.Title ?? string.Empty, item.Priority, itemState));
            }
        }

        ReportSkipped(invocation, skipped);
        return tasks;
    }

    /// <inheritdoc/>
    public async Task<TrackerTaskDetail> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        RequireTaskId(taskId);
        var invocation = ProgInvocation.OnTask("show", taskId) with { Arguments = ["show", taskId, "--json"] };
        ProgItem item = await RunJsonAsync(invocation, ProgJsonContext.Default.ProgItem, cancellationToken).ConfigureAwait(false);
        if (item.Id != taskId)
        {
            throw new TaskSourceException($"{invocation.Display} returned task {Quote(item.Id)} instead");
        }

        TrackerTaskState state = ProgStatus.FromProg(item.Status)
            ?? throw new TaskSourceException($"{invocation.Display} returned unknown status {Quote(item.Status)}");

        var skipped = new List<string>();
        string? parent = item.Parent;
        if (parent is not null && !Identifiers.IsTaskId(parent))
        {
            skipped.Add($"invalid parent id {Quote(parent)}");
            parent = null;
        }

        var dependencies = new List<string>();
        foreach (string? dependency in item.Dependencies ?? [])
        {
            if (Identifiers.IsTaskId(dependency))
            {
                dependencies.Add(dependency!);
            }
            else
            {
                skipped.Add($"invalid dependency id {Quote(dependency)}");
            }
        }

        var logs = new List<TaskLogEntry>();
        foreach (ProgLogEntry? log in item.Logs ?? [])
        {
            if (log?.CreatedAt is { } createdAt)
            {
                logs.Add(new TaskLogEntry(log.Message ?? string.Empty, createdAt));
            }
            else
            {
                skipped.Add("a log entry without created_at");
            }
        }

        ReportSkipped(invocation, skipped);
        return new TrackerTaskDetail
        {
            Id = taskId,
            Title = item.Title ?? string.Empty,
            Type = item.Type ?? "task",
            State = state,
            Priority = item.Priority,
            Project = item.Project ?? string.Empty,
            Parent = parent,
            Description = item.Description ?? string.Empty,
            DefinitionOfDone = item.DefinitionOfDone,
            Labels = (item.Labels ?? []).OfType<string>().ToList(),
            Dependencies = dependencies,
            Logs = logs,
        };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <c>prog start</c> is not a compare-and-set: it succeeds on a task in any status, and two callers can both
    /// "win". The engine serialises its own claims; nothing here can stop another prog user.
    /// </remarks>
    public Task ClaimAsync(string taskId, CancellationToken cancellationToken) => RunOnTaskAsync("start", taskId, cancellationToken);

    /// <inheritdoc/>
    public Task ReopenAsync(string taskId, CancellationToken cancellationToken) => RunOnTaskAsync("open", taskId, cancellationToken);

    /// <inheritdoc/>
    public Task MarkDoneAsync(string taskId, CancellationToken cancellationToken) => RunOnTaskAsync("done", taskId, cancellationToken);

    /// <inheritdoc/>
    public async Task AppendLogAsync(string taskId, string message, CancellationToken cancellationToken)
    {
        RequireTaskId(taskId);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length == 0 || message.Contains('\0', StringComparison.Ordinal) || message.Length > MaxLogMessageLength)
        {
            throw new TaskSourceException(
                $"cannot log to {taskId}: the message must be 1 to {MaxLogMessageLength} characters without NUL characters");
        }

        // "--" keeps a message that starts with "-" from being read as a flag; prog joins the remaining arguments
        // with single spaces, so the message goes as one element to keep its spacing exact.
        var invocation = new ProgInvocation(["log", taskId, "--", message], $"prog log {taskId}", taskId, ForeignKeyMeansNotFound: true);
        await runner.RunAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunOnTaskAsync(string verb, string taskId, CancellationToken cancellationToken)
    {
        RequireTaskId(taskId);
        await runner.RunAsync(ProgInvocation.OnTask(verb, taskId), cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> RunJsonAsync<T>(ProgInvocation invocation, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        string output = await runner.RunAsync(invocation, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new TaskSourceException($"{invocation.Display} printed nothing where JSON was expected");
        }

        try
        {
            return JsonSerializer.Deserialize(output, type)
                ?? throw new TaskSourceException($"{invocation.Display} printed null where JSON was expected");
        }
        catch (JsonException ex)
        {
            string detail = ProgErrorText.FirstLine(ex.Message) ?? "invalid JSON";
            throw new TaskSourceException($"{invocation.Display} printed JSON that could not be read: {detail}", ex);
        }
    }

    private void ReportSkipped(ProgInvocation invocation, List<string> skipped)
    {
        if (skipped.Count == 0)
        {
            return;
        }

        Interlocked.Add(ref skippedEntries, skipped.Count);
        string shown = string.Join("; ", skipped.Take(MaxReportedEntries));
        string more = skipped.Count > MaxReportedEntries
            ? string.Create(CultureInfo.InvariantCulture, $" and {skipped.Count - MaxReportedEntries} more")
            : string.Empty;
        options.Logger.LogWarning(
            "{Command}: skipped {Count} entries of prog's output: {Entries}{More}",
            invocation.Display, skipped.Count, shown, more);
    }

    private static void RequireTaskId(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        if (!Identifiers.IsTaskId(taskId))
        {
            throw new TaskSourceException($"{Quote(taskId)} is not a valid task id: {Identifiers.ProjectNameRule}");
        }
    }

    /// <summary>Untrusted text for a log line or message: quoted, one line, no escape sequences, bounded.</summary>
    private static string Quote(string? text) =>
        text is null ? "(none)" : "'" + TerminalText.Truncate(TerminalText.SanitizeLine(text), 80) + "'";
}
