using System.Text;
using System.Text.Json.Nodes;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Sessions;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Runtimes.Opencode;

/// <summary>
/// One agent's opencode session. Its status is derived from the session's events; it completes when a turn that
/// started after our last prompt ends — <c>finish: stop</c> is success, an error is a failure. A prompt that never
/// makes the session busy is sent again once (opencode can miss a prompt to an idle session), then fails.
/// </summary>
public sealed class OpencodeAgentHandle : IAgentHandle, ISteerableAgent
{
    private readonly string directory;
    private readonly OpencodeClient client;
    private readonly OpencodeEventPump pump;
    private readonly AgentStateTracker tracker;
    private readonly OpencodeRuntimeOptions options;
    private readonly Func<bool> serverAlive;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TaskCompletionSource<AgentOutcome> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private AgentRuntimeStatus status;
    private DateTimeOffset promptSentAt = DateTimeOffset.MinValue;
    private bool turnStarted;
    private ITimer? confirmation;
    private int promptAttempts;
    private string? lastPrompt;
    private string? stoppedBy;
    private int ended;

    internal OpencodeAgentHandle(
        string sessionId, string directory, OpencodeClient client, OpencodeEventPump pump, AgentStateTracker tracker,
        OpencodeRuntimeOptions options, Func<bool> serverAlive, TimeProvider time, ILogger logger)
    {
        SessionId = sessionId;
        this.directory = directory;
        this.client = client;
        this.pump = pump;
        this.tracker = tracker;
        this.options = options;
        this.serverAlive = serverAlive;
        this.time = time;
        this.logger = logger;
        status = tracker.Snapshot.ApplyTo(new AgentRuntimeStatus { SessionId = sessionId }) with { Activity = AgentActivity.Starting };
        tracker.Changed += OnTrackerChanged;
    }

    public event EventHandler<AgentRuntimeStatus>? StatusChanged;

    /// <summary>The worktree the session works in.</summary>
    public string Directory => directory;

    /// <summary>The opencode session this agent runs in.</summary>
    public string SessionId { get; }

    /// <summary>The session's derived state: tool calls, tokens, last error, last text.</summary>
    public AgentStateSnapshot State => tracker.Snapshot;

    public AgentRuntimeStatus Status
    {
        get
        {
            lock (gate)
            {
                return status;
            }
        }
    }

    public Task<AgentOutcome> Completion => completion.Task;

    public bool IsAlive() => !HasEnded && serverAlive() && tracker.Snapshot.Outcome?.Kind != SessionOutcomeKind.Deleted;

    /// <summary>Sends a prompt and starts waiting for the turn it causes.</summary>
    internal async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            promptSentAt = time.GetUtcNow();
            turnStarted = false;
            lastPrompt = text;
            promptAttempts++;
        }

        await client.PromptAsync(SessionId, new OpencodePrompt { Text = text, Model = options.Model }, directory, cancellationToken).ConfigureAwait(false);
        ArmConfirmation();
    }

    /// <summary>Adopts a turn that is already running (a resumed session found busy).</summary>
    internal void AdoptRunningTurn()
    {
        lock (gate)
        {
            promptSentAt = time.GetUtcNow();
            turnStarted = true;
        }
    }

    public async Task SteerAsync(string message, string sender, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        byte[] payload = Encoding.UTF8.GetBytes(new JsonObject { ["sessionID"] = SessionId, ["sender"] = sender, ["message"] = message }.ToJsonString());
        pump.RecordLocal(SessionId, "aetherflow.steer", payload);
        logger.LogInformation("Steering session {Session} (from {Sender})", SessionId, sender);
        lock (gate)
        {
            // The steer starts (or joins) a turn; only an outcome after it ends this agent.
            promptSentAt = time.GetUtcNow();
            turnStarted = turnStarted || tracker.Snapshot.Activity is AgentActivity.Busy or AgentActivity.Retrying or AgentActivity.Hung;
        }

        await client.PromptAsync(SessionId, new OpencodePrompt { Text = $"Message from {sender}: {message}", Model = options.Model }, directory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts the session, waits up to <paramref name="grace"/> for it to go idle, and completes.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (HasEnded)
        {
            return;
        }

        lock (gate)
        {
            stoppedBy ??= "stop";
        }

        try
        {
            await client.AbortSessionAsync(SessionId, directory, cancellationToken).ConfigureAwait(false);
            using var deadline = new CancellationTokenSource(grace, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            while (!HasEnded && tracker.Snapshot.Activity is not (AgentActivity.Idle or AgentActivity.Exited))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Session {Session} did not confirm the abort within {Grace}", SessionId, grace);
        }
        catch (OpencodeApiException ex)
        {
            logger.LogWarning("Aborting session {Session} failed: {Error}", SessionId, ex.Message);
        }

        Complete(new AgentOutcome(false, 143, "stopped: the session was aborted", SessionId));
    }

    /// <summary>Ends the agent as failed because its turn was lost (the server died under it).</summary>
    internal void EndInterrupted(string reason) => Complete(new AgentOutcome(false, 1, reason, SessionId));

    public ValueTask DisposeAsync()
    {
        tracker.Changed -= OnTrackerChanged;
        confirmation?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnTrackerChanged(object? sender, AgentStateSnapshot snapshot)
    {
        SessionOutcome? finished = null;
        AgentRuntimeStatus next;
        lock (gate)
        {
            if (snapshot.Activity is AgentActivity.Busy or AgentActivity.Retrying or AgentActivity.WaitingForPermission or AgentActivity.Hung
                && snapshot.LastEventAt >= promptSentAt)
            {
                turnStarted = true;
            }

            if (turnStarted && snapshot.Outcome is { } outcome && outcome.At >= promptSentAt && stoppedBy is null)
            {
                finished = outcome;
            }

            next = snapshot.ApplyTo(status) with { SessionId = SessionId };
            if (!turnStarted && next.Activity is AgentActivity.Idle)
            {
                next = next with { Activity = AgentActivity.Starting };
            }

            status = next;
        }

        StatusChanged?.Invoke(this, next);
        if (finished is not null)
        {
            Complete(finished.Succeeded
                ? new AgentOutcome(true, 0, "finished: " + finished.Reason, SessionId)
                : new AgentOutcome(false, finished.Kind == SessionOutcomeKind.Aborted ? 130 : 1, finished.Reason, SessionId));
        }
    }

    private void ArmConfirmation()
    {
        confirmation?.Dispose();
        confirmation = time.CreateTimer(_ => _ = ConfirmStartedAsync(), null, options.StartConfirmation, Timeout.InfiniteTimeSpan);
    }

    // opencode can drop a prompt sent to an idle session (anomalyco/opencode#21524): check, send once more, then give up.
    private async Task ConfirmStartedAsync()
    {
        string? resend;
        lock (gate)
        {
            if (turnStarted || HasEnded)
            {
                return;
            }

            resend = promptAttempts < 2 ? lastPrompt : null;
        }

        try
        {
            IReadOnlyDictionary<string, OpencodeSessionStatus> statuses = await client.GetSessionStatusAsync(directory).ConfigureAwait(false);
            if (statuses.TryGetValue(SessionId, out OpencodeSessionStatus? now) && !now.IsIdle)
            {
                lock (gate)
                {
                    turnStarted = true;
                }

                return;
            }

            await pump.BackfillAsync(SessionId, CancellationToken.None).ConfigureAwait(false);
            if (resend is not null)
            {
                logger.LogWarning("Session {Session} did not start on its prompt within {Wait}; sending it again", SessionId, options.StartConfirmation);
                await SendAsync(resend, CancellationToken.None).ConfigureAwait(false);
                return;
            }
        }
        catch (OpencodeApiException ex)
        {
            logger.LogWarning("Checking whether session {Session} started failed: {Error}", SessionId, ex.Message);
            ArmConfirmation();
            return;
        }

        Complete(new AgentOutcome(false, 1, "the session never started working on its prompt", SessionId));
    }

    // True once the first outcome is in (the ones after it are ignored); the completion follows it.
    private bool HasEnded => Volatile.Read(ref ended) == 1;

    private void Complete(AgentOutcome outcome)
    {
        if (Interlocked.Exchange(ref ended, 1) == 1)
        {
            return;
        }

        confirmation?.Dispose();
        pump.Untrack(SessionId);
        _ = AnnounceEndAsync(outcome);
    }

    // The registry gets the session's final status before anyone learns that the agent ended, so whoever sees it
    // exited (the pool, `aetherflow sessions`) finds the session idle or terminated, not still active.
    private async Task AnnounceEndAsync(AgentOutcome outcome)
    {
        await UpdateRegistryAsync(outcome.Succeeded ? SessionStatus.Idle : SessionStatus.Terminated).ConfigureAwait(false);
        lock (gate)
        {
            status = status with { Activity = AgentActivity.Exited, LastError = outcome.Succeeded ? status.LastError : outcome.Reason };
        }

        try
        {
            StatusChanged?.Invoke(this, Status);
        }
        catch (Exception ex)
        {
            // Nobody awaits this method: a failing handler is logged, and the agent still ends.
            logger.LogError(ex, "A status handler failed at the end of session {Session}", SessionId);
        }

        completion.TrySetResult(outcome);
    }

    private async Task UpdateRegistryAsync(SessionStatus final)
    {
        if (options.Registry is not { } registry)
        {
            return;
        }

        try
        {
            await registry.SetStatusBySessionAsync(options.ServerRef, SessionId, final, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The agent's end is announced all the same; the registry keeps its last status until the next update.
            logger.LogWarning(ex, "Could not update session {Session} in the registry", SessionId);
        }
    }
}
