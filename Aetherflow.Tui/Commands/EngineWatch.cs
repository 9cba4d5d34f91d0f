using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Wakes a following command when the engine pushes something: new events of the followed agent, a status change, or
/// the engine dropping the connection. Wake-ups that arrive while the command is busy are folded into one.
/// </summary>
internal sealed class EngineWatch : IDisposable
{
    private readonly EngineClient client;
    private readonly SemaphoreSlim signal = new(0, 1);
    private EngineSnapshot? snapshot;

    public EngineWatch(EngineClient client)
    {
        this.client = client;
        client.EventsAppended += OnEvents;
        client.StatusChanged += OnStatus;
        client.SubscriptionDropped += OnDropped;
    }

    /// <summary>Only this agent's events wake the watcher (all agents' while null).</summary>
    public string? Agent { get; set; }

    /// <summary>The newest snapshot pushed, if any.</summary>
    public EngineSnapshot? Snapshot => Volatile.Read(ref snapshot);

    /// <summary>Why the engine dropped this client, if it did.</summary>
    public string? DroppedReason { get; private set; }

    /// <summary>Waits for the next push; false when the connection ended.</summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        Task wait = signal.WaitAsync(cancellationToken);
        Task first = await Task.WhenAny(wait, client.Completion).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == wait && DroppedReason is null && !client.Completion.IsCompleted;
    }

    public void Dispose()
    {
        client.EventsAppended -= OnEvents;
        client.StatusChanged -= OnStatus;
        client.SubscriptionDropped -= OnDropped;
        signal.Dispose();
    }

    private void OnEvents(object? sender, AgentEventsAppended appended)
    {
        if (Agent is null || appended.Agent == Agent)
        {
            Signal();
        }
    }

    private void OnStatus(object? sender, EngineSnapshot next)
    {
        EngineSnapshot? current = Snapshot;
        if (current is null || next.Revision > current.Revision)
        {
            Volatile.Write(ref snapshot, next);
        }

        Signal();
    }

    private void OnDropped(object? sender, string reason)
    {
        DroppedReason = reason;
        Signal();
    }

    private void Signal()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the next wake-up reads everything new anyway.
        }
        catch (ObjectDisposedException)
        {
            // The command ended.
        }
    }
}
