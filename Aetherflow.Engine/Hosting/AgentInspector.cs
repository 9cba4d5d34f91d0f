using System.Text.Json;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Runtimes.Opencode;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// Answers questions about one agent for clients: its detail (tool calls from its session's events, its task, pending
/// permissions), its event stream as formatted lines read by cursor, and answers to its permission requests.
/// </summary>
internal sealed class AgentInspector
{
    private static readonly TimeSpan TrackerCallTimeout = TimeSpan.FromSeconds(5);
    private readonly EngineComponents components;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly LogFormatterCache formatters = new();

    public AgentInspector(EngineComponents components, TimeProvider time, ILoggerFactory loggers)
    {
        this.components = components;
        this.time = time;
        this.loggers = loggers;
    }

    public async Task<AgentDetail> GetAsync(AgentInfo agent, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        AgentStateSnapshot? state = SessionState(agent.SessionId);
        TaskInfo? task = null;
        if (agent.Origin == AgentOrigin.Pool && agent.TaskId is { } taskId)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(TrackerCallTimeout);
                task = ToInfo(await components.Tasks.GetAsync(taskId, deadline.Token).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is TaskSourceException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                notes.Add($"task {taskId} could not be read: {ex.Message}");
            }
        }

        IReadOnlyList<PermissionRequestInfo> permissions = [];
        if (agent.Activity == AgentActivity.WaitingForPermission && agent.SessionId is { } session && components.Opencode is { } backend)
        {
            try
            {
                permissions = (await PendingAsync(backend, session, agent.Worktree, cancellationToken).ConfigureAwait(false))
                    .Select(p => new PermissionRequestInfo(p.Id, TerminalText.SanitizeLine(p.Permission), p.Patterns.Select(TerminalText.SanitizeLine).ToList()))
                    .ToList();
            }
            catch (OpencodeApiException ex)
            {
                notes.Add($"pending permissions could not be read: {ex.Message}");
            }
        }

        return new AgentDetail
        {
            Agent = agent,
            ToolCalls = state?.ToolCalls.Select(ToInfo).ToList() ?? [],
            Task = task,
            PendingPermissions = permissions,
            LastText = state?.LastText is { } text ? TerminalText.Sanitize(text) : null,
            Notes = notes,
        };
    }

    public EventPage Read(AgentInfo agent, long afterSequence, int limit, bool raw)
    {
        if (agent.SessionId is not { } sessionId || components.Events is not { } store)
        {
            return new EventPage { NextCursor = afterSequence };
        }

        SessionEventReadResult read = store.Read(sessionId, afterSequence, Math.Clamp(limit, 1, 10_000));
        OpencodeLogFormatter formatter = formatters.Take(sessionId, afterSequence);
        var lines = new List<EventLine>(read.Events.Count);
        foreach (SessionEvent stored in read.Events)
        {
            EventLine? line = Format(formatter, stored, raw);
            if (line is not null)
            {
                lines.Add(line);
            }
        }

        formatters.Return(sessionId, read.NextCursor, formatter);
        return new EventPage { SessionId = sessionId, Events = lines, NextCursor = read.NextCursor, HasMore = read.HasMore, FellBehind = read.FellBehind };
    }

    /// <summary>The managed (or configured) server's address and credentials, for <c>opencode attach</c> on the agent's session.</summary>
    public SessionAttachInfo Attach(AgentInfo agent)
    {
        if (components.Opencode is not { } backend)
        {
            throw new NotSupportedException($"{agent.Name} runs without opencode (runtime 'command'), so there is no session to attach to");
        }

        if (agent.SessionId is not { } session)
        {
            throw new NotSupportedException($"{agent.Name} has no opencode session yet; try again once it has started");
        }

        OpencodeConnection server = backend.Client.Connection;
        return new SessionAttachInfo
        {
            ServerUrl = server.BaseAddress.ToString(),
            SessionId = session,
            Directory = agent.Worktree,
            Username = server.Username,
            Password = server.Password,
        };
    }

    public async Task<PermissionRequestInfo> AnswerAsync(AgentInfo agent, PermissionReply reply, CancellationToken cancellationToken)
    {
        if (agent.SessionId is not { } session || components.Opencode is not { } backend)
        {
            throw new NotSupportedException($"{agent.Name} has no opencode session, so it cannot ask for permissions");
        }

        OpencodePermissionRequest request = (await PendingAsync(backend, session, agent.Worktree, cancellationToken).ConfigureAwait(false)).FirstOrDefault()
            ?? throw new InvalidOperationException($"{agent.Name} is not waiting for a permission");
        await backend.Client.ReplyToPermissionAsync(
            request.Id,
            reply switch { PermissionReply.Always => OpencodePermissionReply.Always, PermissionReply.Reject => OpencodePermissionReply.Reject, _ => OpencodePermissionReply.Once },
            null,
            agent.Worktree,
            cancellationToken).ConfigureAwait(false);
        return new PermissionRequestInfo(request.Id, TerminalText.SanitizeLine(request.Permission), request.Patterns.Select(TerminalText.SanitizeLine).ToList());
    }

    private static async Task<IReadOnlyList<OpencodePermissionRequest>> PendingAsync(OpencodeBackend backend, string session, string? directory, CancellationToken cancellationToken) =>
        (await backend.Client.ListPermissionsAsync(directory, cancellationToken).ConfigureAwait(false)).Where(p => p.SessionId == session).ToList();

    // A running agent's tracker knows its state; for a finished one, its stored events are replayed into a new tracker.
    private AgentStateSnapshot? SessionState(string? sessionId)
    {
        if (sessionId is null)
        {
            return null;
        }

        if (components.Runtime is OpencodeRuntime runtime && runtime.Running.TryGetValue(sessionId, out OpencodeAgentHandle? handle))
        {
            return handle.State;
        }

        if (components.Events is not { } store || !Identifiers.IsSessionId(sessionId))
        {
            return null;
        }

        using var tracker = new AgentStateTracker(sessionId, new AgentStateTrackerOptions { HangTimeout = TimeSpan.Zero }, time, loggers.CreateLogger<AgentStateTracker>());
        long cursor = 0;
        SessionEventReadResult page;
        do
        {
            page = store.Read(sessionId, cursor, 2000);
            foreach (SessionEvent stored in page.Events)
            {
                tracker.Apply(stored);
            }

            cursor = page.NextCursor;
        }
        while (page.HasMore);

        return tracker.Snapshot;
    }

    private static EventLine? Format(OpencodeLogFormatter formatter, SessionEvent stored, bool raw)
    {
        JsonElement? payload = raw ? JsonDocument.Parse(stored.Payload).RootElement.Clone() : null;
        if (stored.Type == "aetherflow.steer")
        {
            using JsonDocument steer = JsonDocument.Parse(stored.Payload);
            string sender = steer.RootElement.TryGetProperty("sender", out JsonElement s) ? s.GetString() ?? "?" : "?";
            string message = steer.RootElement.TryGetProperty("message", out JsonElement m) ? m.GetString() ?? string.Empty : string.Empty;
            return new EventLine
            {
                Sequence = stored.Sequence,
                At = stored.ReceivedAt,
                Type = stored.Type,
                Kind = "steer",
                Segments = [new EventSegment("warning", $"↳ {TerminalText.SanitizeLine(sender)}: "), new EventSegment("plain", TerminalText.Truncate(TerminalText.SanitizeLine(message), 400))],
                Raw = payload,
            };
        }

        LogLine? line = formatter.Format(stored);
        return line is null ? (raw ? new EventLine { Sequence = stored.Sequence, At = stored.ReceivedAt, Type = stored.Type, Kind = "other", Raw = payload } : null) : new EventLine
        {
            Sequence = stored.Sequence,
            At = line.Timestamp,
            Type = stored.Type,
            Kind = line.Kind.ToString().ToLowerInvariant(),
            Segments = line.Segments.Select(s => new EventSegment(s.Kind.ToString().ToLowerInvariant(), s.Text)).ToList(),
            Detail = line.Detail,
            Raw = payload,
        };
    }

    private static ToolCallInfo ToInfo(ToolCall call) => new(
        call.Tool,
        TerminalText.SanitizeLine(call.KeyInput),
        call.Title is null ? null : TerminalText.SanitizeLine(call.Title),
        call.Status.ToString().ToLowerInvariant(),
        call.StartedAt,
        call.Duration is { } duration ? (long)duration.TotalMilliseconds : null,
        call.Error is null ? null : TerminalText.SanitizeLine(call.Error));

    private static TaskInfo ToInfo(TrackerTaskDetail task) => new()
    {
        Id = task.Id,
        Title = task.Title,
        Status = task.State switch
        {
            TrackerTaskState.InProgress => "in_progress",
            _ => task.State.ToString().ToLowerInvariant(),
        },
        Priority = task.Priority,
        Dependencies = task.Dependencies,
        Labels = task.Labels,
        Description = task.Description,
        DefinitionOfDone = task.DefinitionOfDone,
        Logs = task.Logs.Select(l => new TaskLogLine(l.Message, l.CreatedAt)).ToList(),
    };
}
