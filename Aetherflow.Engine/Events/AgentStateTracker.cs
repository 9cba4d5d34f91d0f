using System.Text.Json;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Collections;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Events;

/// <summary>
/// Derives what one opencode session is doing from its events — stored and transient alike, live or replayed from
/// the store, or backfilled: activity (busy, idle, retrying, waiting for a permission, hung), the turn's outcome once it
/// goes idle, tool calls in their latest state, tokens and cost, the last error and the last text.
/// </summary>
/// <remarks>
/// <para>
/// Activity follows <c>session.status</c> (<c>busy</c>/<c>retry</c>/<c>idle</c>) and <c>session.idle</c>. While a
/// <c>permission.asked</c> (or <c>question.asked</c>) has no reply the session is waiting for permission. A busy session
/// with no event for <see cref="AgentStateTrackerOptions.HangTimeout"/> (measured on the <see cref="TimeProvider"/>)
/// becomes hung, announced by <see cref="Changed"/>; its next event makes it busy again.
/// </para>
/// <para>
/// When the session goes idle after being busy, the outcome is judged from the latest assistant message: an error
/// (aborted or failed), else <c>finish: "stop"</c> (succeeded), else incomplete — and judged again if later events
/// (a backfill) bring the final message or an error. Tokens and cost are taken from assistant <c>message.updated</c>
/// events, keeping the latest value per message, so a message updated many times counts once.
/// </para>
/// </remarks>
public sealed class AgentStateTracker : IDisposable
{
    private readonly AgentStateTrackerOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly ITimer? hangTimer;
    private readonly HashSet<string> pendingRequests = new(StringComparer.Ordinal);
    private readonly RecentMap<ToolCall> toolCalls;
    private readonly MessageUsageLedger usage = new();
    private readonly AssistantText text;

    // Part, message and tool ids repeat from event to event of one session.
    private readonly JsonStringCache strings = new();
    private AgentActivity activity = AgentActivity.Starting;
    private bool hung;
    private bool hangTimerArmed;
    private bool busySinceIdle;
    private RetryInfo? retry;
    private string? lastError;
    private string? sessionError;
    private string? sessionErrorName;
    private LastAssistantMessage? lastAssistant;
    private DateTimeOffset? lastEventAt;
    private DateTimeOffset lastActivityAt;
    private SessionOutcome? outcome;
    private long version;
    private AgentStateSnapshot? snapshot;

    /// <summary>Creates a tracker for <paramref name="sessionId"/>.</summary>
    public AgentStateTracker(string sessionId, AgentStateTrackerOptions options, TimeProvider timeProvider, ILogger<AgentStateTracker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        if (!Identifiers.IsSessionId(sessionId))
        {
            throw new ArgumentException($"'{TerminalText.Truncate(TerminalText.SanitizeLine(sessionId), 40)}' is not a valid session id", nameof(sessionId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxToolCalls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTextLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HangTimeout, TimeSpan.Zero);
        SessionId = sessionId;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        text = new AssistantText(options.MaxTextLength, strings);
        toolCalls = new RecentMap<ToolCall>(options.MaxToolCalls);
        lastActivityAt = timeProvider.GetUtcNow();
        if (options.HangTimeout > TimeSpan.Zero)
        {
            hangTimer = timeProvider.CreateTimer(_ => CheckHung(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Raised after the state changed, outside the tracker's lock, on the thread that applied the event (or the clock's
    /// timer thread for a hang). Snapshots from different threads may arrive out of order: keep the highest
    /// <see cref="AgentStateSnapshot.Version"/>, or read <see cref="Snapshot"/>.
    /// </summary>
    public event EventHandler<AgentStateSnapshot>? Changed;

    /// <summary>The session tracked.</summary>
    public string SessionId { get; }

    /// <summary>The current state.</summary>
    public AgentStateSnapshot Snapshot
    {
        get
        {
            lock (gate)
            {
                return snapshot ??= BuildSnapshot();
            }
        }
    }

    /// <summary>Applies a parsed event; events of other sessions and without a session are ignored.</summary>
    public void Apply(OpencodeEvent item, DateTimeOffset receivedAt) => RaiseChanged(ApplyUnannounced(item, receivedAt));

    /// <summary>
    /// Applies a parsed event like <see cref="Apply(OpencodeEvent, DateTimeOffset)"/> without raising
    /// <see cref="Changed"/>: returns the snapshot to hand to <see cref="Announce"/> (null when nothing listens or nothing
    /// changed), so the caller can announce it once the event is readable.
    /// </summary>
    internal AgentStateSnapshot? ApplyUnannounced(OpencodeEvent item, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.SessionId == SessionId && item.Kind is OpencodeEventKind.Session or OpencodeEventKind.Transient
            ? ApplyCore(item.Type, item.Properties, receivedAt)
            : null;
    }

    /// <summary>Raises <see cref="Changed"/> with a snapshot <see cref="ApplyUnannounced"/> returned.</summary>
    internal void Announce(AgentStateSnapshot changed) => RaiseChanged(changed);

    /// <summary>Applies a stored event (e.g. replaying the store after a restart).</summary>
    public void Apply(SessionEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.SessionId != SessionId)
        {
            return;
        }

        using JsonDocument payload = JsonDocument.Parse(stored.Payload);
        Apply(stored.Type, payload.RootElement, stored.ReceivedAt);
    }

    /// <summary>Applies an event of <paramref name="type"/> with its <paramref name="properties"/>, received at <paramref name="receivedAt"/>.</summary>
    public void Apply(string type, JsonElement properties, DateTimeOffset receivedAt) => RaiseChanged(ApplyCore(type, properties, receivedAt));

    /// <summary>Stops the hang timer.</summary>
    public void Dispose() => hangTimer?.Dispose();

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : 0;

    // Applies under the lock and returns the snapshot to announce (outside it).
    private AgentStateSnapshot? ApplyCore(string type, JsonElement properties, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (gate)
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            lastEventAt = receivedAt;
            lastActivityAt = timeProvider.GetUtcNow();
            hung = false;
            ApplyEvent(type, properties, receivedAt);
            ArmHangTimer();

            // Every event moves LastEventAt, so every event is a change.
            return Invalidate();
        }
    }

    private void ApplyEvent(string type, JsonElement properties, DateTimeOffset receivedAt)
    {
        switch (type)
        {
            case OpencodeEventTypes.SessionStatus:
                ApplyStatus(properties.TryGetProperty("status"u8, out JsonElement status) ? status : default);
                break;
            case OpencodeEventTypes.SessionIdle:
                GoIdle();
                break;
            case OpencodeEventTypes.SessionError:
                JsonElement error = properties.TryGetProperty("error"u8, out JsonElement e) ? e : default;
                sessionError = OpencodeErrorText.Describe(error) ?? "session error";
                sessionErrorName = OpencodeErrorText.Name(error);
                lastError = sessionError;
                Rejudge();
                break;
            case OpencodeEventTypes.SessionDeleted:
                activity = AgentActivity.Idle;
                pendingRequests.Clear();
                outcome = new SessionOutcome(SessionOutcomeKind.Deleted, "the session was deleted", timeProvider.GetUtcNow());
                break;
            case OpencodeEventTypes.PermissionAsked or OpencodeEventTypes.QuestionAsked:
                if (Text(properties, "id"u8) is { } request)
                {
                    pendingRequests.Add(request);
                }

                break;
            case OpencodeEventTypes.PermissionReplied or OpencodeEventTypes.QuestionReplied or OpencodeEventTypes.QuestionRejected:
                if (Text(properties, "requestID"u8) is { } answered)
                {
                    pendingRequests.Remove(answered);
                }

                break;
            case OpencodeEventTypes.MessageUpdated:
                if (properties.TryGetProperty("info"u8, out JsonElement info) && info.ValueKind == JsonValueKind.Object)
                {
                    ApplyMessage(info);
                }

                break;
            case OpencodeEventTypes.MessagePartUpdated:
                if (properties.TryGetProperty("part"u8, out JsonElement part) && part.ValueKind == JsonValueKind.Object)
                {
                    ApplyPart(part, receivedAt);
                }

                break;
            case OpencodeEventTypes.MessagePartDelta:
                text.ApplyDelta(properties);
                break;
        }
    }

    private void ApplyStatus(JsonElement status)
    {
        switch (Text(status, "type"u8))
        {
            case "busy":
                StartTurn();
                activity = AgentActivity.Busy;
                retry = null;
                break;
            case "retry":
                StartTurn();
                activity = AgentActivity.Retrying;
                retry = new RetryInfo(
                    (int)Math.Clamp(Number(status, "attempt"u8), 0, int.MaxValue),
                    TerminalText.Truncate(TerminalText.SanitizeLine(Text(status, "message"u8)), OpencodeErrorText.MaxLength),
                    ToolPartReader.Milliseconds(status, "next"u8));
                break;
            case "idle":
                GoIdle();
                break;
        }
    }

    private void StartTurn()
    {
        if (!busySinceIdle)
        {
            // A new turn (e.g. a follow-up prompt after idle): the previous outcome and session error no longer apply.
            busySinceIdle = true;
            outcome = null;
            sessionError = null;
            sessionErrorName = null;
        }
    }

    private void GoIdle()
    {
        activity = AgentActivity.Idle;
        retry = null;
        pendingRequests.Clear();
        if (busySinceIdle)
        {
            busySinceIdle = false;
            outcome = TurnJudge.Judge(lastAssistant, sessionError, sessionErrorName, timeProvider.GetUtcNow());
        }
    }

    private void Rejudge()
    {
        if (outcome is { Kind: not SessionOutcomeKind.Deleted })
        {
            outcome = TurnJudge.Judge(lastAssistant, sessionError, sessionErrorName, timeProvider.GetUtcNow());
        }
    }

    private void ApplyMessage(JsonElement info)
    {
        if (strings.Property(info, "id"u8) is not { } id)
        {
            return;
        }

        string role = strings.Property(info, "role"u8) ?? "assistant";
        text.RememberRole(id, role);
        if (role != "assistant")
        {
            return;
        }

        usage.Record(id, info);

        JsonElement error = info.TryGetProperty("error"u8, out JsonElement e) ? e : default;
        string? errorText = OpencodeErrorText.Describe(error);
        if (errorText is not null)
        {
            lastError = errorText;
        }

        bool completed = ToolPartReader.Milliseconds(info.TryGetProperty("time"u8, out JsonElement time) ? time : default, "completed"u8) is not null;
        long created = Number(time, "created"u8);
        if (lastAssistant is null || lastAssistant.Id == id || created >= lastAssistant.Created)
        {
            lastAssistant = new LastAssistantMessage(id, created, Text(info, "finish"u8), errorText, OpencodeErrorText.Name(error));
            if (activity == AgentActivity.Starting && !completed)
            {
                // Joined mid-turn (missed session.status): an open assistant message means the session is working.
                StartTurn();
                activity = AgentActivity.Busy;
            }

            Rejudge();
        }
    }

    private void ApplyPart(JsonElement part, DateTimeOffset receivedAt)
    {
        if (!part.TryGetProperty("type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String)
        {
            return;
        }

        if (type.ValueEquals("tool"u8))
        {
            string? id = strings.Property(part, "id"u8);
            ToolCall? previous = id is not null && toolCalls.TryGetValue(id, out ToolCall? known) ? known : null;
            if (ToolPartReader.Read(part, previous, receivedAt, strings) is { } call)
            {
                toolCalls.Set(call.PartId, call);
            }
        }
        else if (type.ValueEquals("text"u8))
        {
            text.ApplyPart(part);
        }
    }

    // While busy the timer stays armed; when it fires early (events kept coming) CheckHung re-arms it for the rest of
    // the quiet period, so a stream of events does not reset a timer per event.
    private void ArmHangTimer()
    {
        bool busy = activity == AgentActivity.Busy;
        if (hangTimer is null || busy == hangTimerArmed)
        {
            return;
        }

        hangTimerArmed = busy;
        hangTimer.Change(busy ? options.HangTimeout : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void CheckHung()
    {
        AgentStateSnapshot? changed = null;
        lock (gate)
        {
            TimeSpan silent = timeProvider.GetUtcNow() - lastActivityAt;
            if (activity == AgentActivity.Busy && !hung && silent >= options.HangTimeout)
            {
                hung = true;
                hangTimerArmed = false;
                changed = Invalidate();
            }
            else if (activity == AgentActivity.Busy && !hung)
            {
                hangTimer?.Change(options.HangTimeout - silent, Timeout.InfiniteTimeSpan);
            }
            else
            {
                hangTimerArmed = false;
            }
        }

        if (changed is not null)
        {
            RaiseChanged(changed);
        }
    }

    private void RaiseChanged(AgentStateSnapshot? changed)
    {
        if (changed is null || Changed is not { } handlers)
        {
            return;
        }

        foreach (EventHandler<AgentStateSnapshot> handler in handlers.GetInvocationList().Cast<EventHandler<AgentStateSnapshot>>())
        {
            try
            {
                handler(this, changed);
            }
            catch (Exception ex)
            {
                // Listeners run on the event loop and on timer threads: one failing must not stop tracking.
                logger.LogError(ex, "A Changed handler of the state tracker of session {SessionId} failed", SessionId);
            }
        }
    }

    // A new version; its snapshot is built now only if someone listens, otherwise when it is first read.
    private AgentStateSnapshot? Invalidate()
    {
        version++;
        snapshot = Changed is null ? null : BuildSnapshot();
        return snapshot;
    }

    private AgentStateSnapshot BuildSnapshot()
    {
        AgentActivity shown = activity switch
        {
            AgentActivity.Busy or AgentActivity.Retrying when pendingRequests.Count > 0 => AgentActivity.WaitingForPermission,
            AgentActivity.Busy when hung => AgentActivity.Hung,
            _ => activity,
        };

        return new AgentStateSnapshot
        {
            SessionId = SessionId,
            Version = version,
            Activity = shown,
            Retry = activity == AgentActivity.Retrying ? retry : null,
            PendingRequests = pendingRequests.Count,
            ToolCalls = toolCalls.ToArray(),
            Tokens = usage.Tokens,
            Cost = usage.Cost,
            LastError = lastError,
            LastText = text.Current is { } current ? TerminalText.Sanitize(current) : null,
            LastEventAt = lastEventAt,
            Outcome = outcome,
        };
    }
}
