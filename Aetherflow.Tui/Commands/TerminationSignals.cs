using System.Runtime.InteropServices;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// SIGINT and SIGTERM as cancellation: the first one asks the running command to stop cleanly, a second one asks it
/// to stop now (a draining headless engine then stops its agents instead of waiting for them).
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource first = new();
    private readonly CancellationTokenSource second = new();
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;
    private int count;

    public TerminationSignals()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken First => first.Token;

    /// <summary>Cancelled by the second signal.</summary>
    public CancellationToken Second => second.Token;

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        first.Dispose();
        second.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here: the default action would kill the process before the engine could put its tasks back.
        context.Cancel = true;
        (Interlocked.Increment(ref count) == 1 ? first : second).Cancel();
    }
}
