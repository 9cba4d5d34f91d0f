using Microsoft.Extensions.Logging;

namespace Aetherflow.Tui.Ui.Shell;

/// <summary>
/// Runs a fetch when poked — never on a timer. At most one fetch runs at a time; pokes that arrive meanwhile fold into
/// one more fetch afterwards, and an optional pause after each fetch bounds how often a busy agent causes one (the
/// agent panel reads the tracker, which can be a process). All state lives on the UI thread.
/// </summary>
internal sealed class Refresher : IDisposable
{
    private readonly UiLoop loop;
    private readonly Func<CancellationToken, Task> fetch;
    private readonly TimeSpan pause;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private IDisposable? cooling;
    private bool running;
    private bool pending;
    private bool disposed;

    public Refresher(UiLoop loop, Func<CancellationToken, Task> fetch, TimeSpan pause, ILogger logger)
    {
        this.loop = loop;
        this.fetch = fetch;
        this.pause = pause;
        this.logger = logger;
    }

    /// <summary>Asks for a fetch (UI thread).</summary>
    public void Poke()
    {
        if (disposed)
        {
            return;
        }

        if (running || cooling is not null)
        {
            pending = true;
            return;
        }

        Start();
    }

    public void Dispose()
    {
        disposed = true;
        cooling?.Dispose();
        stopping.Cancel();

        // A fetch still running holds the token; the source goes when it has finished.
        if (!running)
        {
            stopping.Dispose();
        }
    }

    private void Start()
    {
        running = true;
        pending = false;
        _ = RunAsync(stopping.Token);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await fetch(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Closed while fetching.
        }
        catch (Exception ex)
        {
            // The fetch reports its own expected failures on screen; anything else is a bug worth a log line.
            logger.LogError(ex, "Refreshing a dashboard view failed");
        }

        loop.Post(Finished);
    }

    private void Finished()
    {
        running = false;
        if (disposed)
        {
            stopping.Dispose();
            return;
        }

        if (pause > TimeSpan.Zero)
        {
            cooling = loop.After(pause, () =>
            {
                cooling = null;
                if (pending && !disposed)
                {
                    Start();
                }
            });
        }
        else if (pending)
        {
            Start();
        }
    }
}
