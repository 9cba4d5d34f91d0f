using Aetherflow.Engine.Pool;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Scheduling;

/// <summary>
/// Drives scheduling passes in auto mode: one at start, one every <c>poll_interval</c>, and one as soon as the tracker's
/// file changes (prog's database), so a newly ready task is picked up within about a second without polling the
/// tracker hard. Triggers that arrive while a pass runs are folded into one more pass by the pool.
/// </summary>
public sealed class TaskPoller : IAsyncDisposable
{
    private static readonly TimeSpan ChangeSettle = TimeSpan.FromMilliseconds(100);
    private readonly AgentPool pool;
    private readonly TimeSpan interval;
    private readonly string? watchedFile;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim wake = new(0, 1);
    private FileSystemWatcher? watcher;
    private Task? loop;

    public TaskPoller(AgentPool pool, TimeSpan interval, string? watchedFile, TimeProvider time, ILogger logger)
    {
        this.pool = pool;
        this.interval = interval;
        this.watchedFile = watchedFile;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Starts polling (the first pass runs at once).</summary>
    public void Start()
    {
        watcher = CreateWatcher();
        loop ??= RunAsync(stopping.Token);
    }

    /// <summary>Asks for a pass now (e.g. after the pool was resumed).</summary>
    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending; one is enough.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        watcher?.Dispose();
        if (loop is not null)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        stopping.Dispose();
        wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // The interval counts from the start of a pass, as a ticker's would: a steady cadence, and the timer
            // exists before anything of the pass can be seen. A pass that outlasts it (a tracker at its timeout) is
            // followed by the next at once; passes never overlap.
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task delay = Task.Delay(interval, time, tick.Token);
            try
            {
                await pool.ScheduleAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // Wait for the interval or a wake-up, whichever comes first.
            Task woken = wake.WaitAsync(tick.Token);
            Task first = await Task.WhenAny(delay, woken).ConfigureAwait(false);
            await tick.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == woken && woken.IsCompletedSuccessfully)
            {
                // Let a burst of writes (a transaction, its WAL) settle into one pass.
                await Task.Delay(ChangeSettle, time, cancellationToken).ConfigureAwait(false);
            }

            await Task.WhenAll(Quietly(delay), Quietly(woken)).ConfigureAwait(false);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The other wait won.
        }
    }

    private FileSystemWatcher? CreateWatcher()
    {
        if (watchedFile is null)
        {
            return null;
        }

        string? folder = Path.GetDirectoryName(watchedFile);
        if (folder is null || !Directory.Exists(folder))
        {
            logger.LogInformation("Not watching {File} for changes (its folder does not exist yet); polling every {Interval}", watchedFile, interval);
            return null;
        }

        string name = Path.GetFileName(watchedFile);
        var fileWatcher = new FileSystemWatcher(folder)
        {
            Filter = name + "*",
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
        };
        fileWatcher.Changed += (_, _) => Wake();
        fileWatcher.Created += (_, _) => Wake();
        fileWatcher.Renamed += (_, _) => Wake();
        fileWatcher.Error += (_, e) => logger.LogWarning(e.GetException(), "Watching {File} failed; polling continues every {Interval}", watchedFile, interval);
        fileWatcher.EnableRaisingEvents = true;
        return fileWatcher;
    }
}
