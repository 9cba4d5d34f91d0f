using System.Globalization;
using System.Text;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Text;

namespace Aetherflow.Tui.Presentation;

/// <summary>Renders engine state as text for <c>aetherflow status</c>. Untrusted text is sanitised before it is cut.</summary>
internal static class StatusText
{
    /// <summary>The overview: header, agents, queue, warnings and the latest decisions.</summary>
    public static string Overview(EngineIdentity identity, EngineSnapshot s, DateTimeOffset now, Painter paint, int width)
    {
        var text = new StringBuilder();
        string badge = s.Mode switch
        {
            PoolMode.Draining => paint.Yellow("[draining]"),
            PoolMode.Paused => paint.Red("[paused]"),
            _ => paint.Green("[active]"),
        };
        text.Append(CultureInfo.InvariantCulture, $"{paint.Bold("aetherflow")}  {paint.Cyan(Clean(s.Project, 40))}  pool {s.RunningPoolAgents}/{s.PoolSize} {badge}");
        text.Append(CultureInfo.InvariantCulture, $"  {(s.SpawnPolicy == SpawnPolicy.Auto ? "auto" : paint.Yellow("manual"))}  {s.TaskSource}  {s.Runtime}");
        text.AppendLine(paint.Dim(string.Create(CultureInfo.InvariantCulture, $"  engine pid {identity.Pid}{(identity.Headless ? " (headless)" : string.Empty)}")));
        text.AppendLine();

        if (s.Agents.Count == 0)
        {
            text.AppendLine(paint.Dim($"No agents running — {Math.Max(0, s.PoolSize - s.RunningPoolAgents)} slots idle"));
        }
        else
        {
            var rows = s.Agents.Select(a => new[]
            {
                Clean(a.Name, 24), Clean(a.TaskId ?? "-", 28), a.Role, Activity(a), Humanize.Uptime(now - a.SpawnedAt),
                a.Retries.ToString(CultureInfo.InvariantCulture), Clean(a.LastTool ?? "-", 32), Clean(a.Title, 60),
            }).ToList();
            string[] header = ["NAME", "TASK", "ROLE", "ACTIVITY", "UP", "RETRY", "LAST TOOL", "TITLE"];
            int[] widths = Enumerable.Range(0, header.Length).Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max()).ToArray();
            text.AppendLine(paint.Dim(Row(header, widths)));
            for (int i = 0; i < rows.Count; i++)
            {
                string line = Fit(Row(rows[i], widths), width);
                AgentInfo agent = s.Agents[i];
                text.AppendLine(agent.Activity == AgentActivity.Exited && agent.ExitCode is not null and not 0 ? paint.Red(line)
                    : agent.Activity is AgentActivity.Hung or AgentActivity.WaitingForPermission ? paint.Yellow(line)
                    : line);
            }

            int idle = s.PoolSize - s.RunningPoolAgents;
            if (idle > 0)
            {
                text.AppendLine(paint.Dim($"+ {idle} {(idle == 1 ? "slot" : "slots")} idle"));
            }
        }

        text.AppendLine();
        if (s.Queue.Count == 0)
        {
            text.AppendLine(paint.Dim(s.SpawnPolicy == SpawnPolicy.Manual ? "Queue: manual policy, the tracker is not polled" : "Queue: empty"));
        }
        else
        {
            text.AppendLine(paint.Yellow($"Queue: {s.Queue.Count} ready"));
            int idWidth = s.Queue.Max(q => Clean(q.Id, 28).Length);
            foreach (QueuedTask task in s.Queue)
            {
                text.AppendLine(Fit($"  {Clean(task.Id, 28).PadRight(idWidth)}  P{task.Priority.ToString(CultureInfo.InvariantCulture)}  {Clean(task.Title, 200)}", width));
            }
        }

        if (s.Warnings.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(paint.Red($"Warnings: {s.Warnings.Count}"));
            foreach (string warning in s.Warnings)
            {
                text.AppendLine(Fit($"  ! {Clean(warning, 400)}", width));
            }
        }

        if (s.Decisions.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(paint.Dim("Recent decisions"));
            foreach (EngineDecision decision in s.Decisions.TakeLast(5))
            {
                text.AppendLine(Fit($"  {decision.At.ToLocalTime():HH:mm:ss}  {decision.Kind,-9} {Clean(decision.Message, 400)}", width));
            }
        }

        return text.ToString();
    }

    /// <summary>One agent in detail.</summary>
    public static string Agent(AgentInfo a, DateTimeOffset now, Painter paint)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{paint.Bold("Agent:")} {paint.Cyan(Clean(a.Name, 64))}");
        void Field(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {name + ":",-10} {value}");
            }
        }

        Field("Task", $"{Clean(a.TaskId ?? "-", 64)}  \"{Clean(a.Title, 120)}\"");
        Field("Role", $"{a.Role} ({a.Origin.ToString().ToLowerInvariant()})");
        Field("Activity", Activity(a));
        Field("PID", a.Pid?.ToString(CultureInfo.InvariantCulture));
        Field("Uptime", $"{Humanize.Uptime(now - a.SpawnedAt)} (since {a.SpawnedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss})");
        Field("Session", a.SessionId);
        Field("Worktree", a.Worktree);
        Field("Branch", a.Branch);
        Field("Retries", a.Retries.ToString(CultureInfo.InvariantCulture));
        Field("Tokens", a.InputTokens + a.OutputTokens == 0 ? null : $"{Humanize.Count(a.InputTokens)} in, {Humanize.Count(a.OutputTokens)} out");
        Field("Cost", a.Cost > 0 ? a.Cost.ToString("$0.0000", CultureInfo.InvariantCulture) : null);
        Field("Last tool", a.LastTool is null ? null : Clean(a.LastTool, 200));
        Field("Error", a.LastError is null ? null : paint.Red(Clean(a.LastError, 300)));
        return text.ToString();
    }

    /// <summary>One agent in detail, with its task, pending permissions, latest text and last <paramref name="limit"/> tool calls (0: all).</summary>
    public static string AgentDetail(AgentDetail detail, DateTimeOffset now, Painter paint, int limit, int width)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var text = new StringBuilder(Agent(detail.Agent, now, paint));
        if (detail.Task is { } task)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {"Tracker:",-10} {Clean(task.Status, 20)}, priority {task.Priority}");
        }

        foreach (PermissionRequestInfo permission in detail.PendingPermissions)
        {
            text.AppendLine(paint.Yellow(Fit($"  ! waiting for permission {Clean(permission.Permission, 60)} ({Clean(string.Join(", ", permission.Patterns), 200)}); answer with 'aetherflow rpc call agent.permission'", width)));
        }

        if (!string.IsNullOrWhiteSpace(detail.LastText))
        {
            text.AppendLine(Fit($"  {"Said:",-10} \"{Clean(detail.LastText, 200)}\"", width));
        }

        text.AppendLine();
        IReadOnlyList<ToolCallInfo> calls = detail.ToolCalls;
        if (calls.Count == 0)
        {
            text.AppendLine(paint.Dim("Tool calls: none"));
        }
        else
        {
            IEnumerable<ToolCallInfo> shown = limit > 0 ? calls.TakeLast(limit) : calls;
            int hidden = limit > 0 ? Math.Max(0, calls.Count - limit) : 0;
            text.AppendLine(CultureInfo.InvariantCulture, $"Tool calls: {calls.Count}{(hidden > 0 ? $" ({hidden} earlier not shown; --limit 0 shows all)" : string.Empty)}");
            int toolWidth = Math.Max(4, calls.Max(c => Clean(c.Tool, 16).Length));
            foreach (ToolCallInfo call in shown)
            {
                string age = call.StartedAt is { } started ? Humanize.Uptime(now - started) + " ago" : "-";
                string mark = call.Status switch
                {
                    "completed" => paint.Green("✓"),
                    "error" => paint.Red("✗"),
                    "running" => paint.Yellow("…"),
                    _ => paint.Dim("·"),
                };
                string label = Clean(string.IsNullOrEmpty(call.Title) ? call.Input : $"{call.Title} — {call.Input}", 120);
                string duration = call.DurationMs is { } ms ? paint.Dim($" ({Humanize.Milliseconds(ms)})") : string.Empty;
                text.AppendLine(CultureInfo.InvariantCulture, $"  {age,9}  {paint.Cyan(Clean(call.Tool, 16).PadRight(toolWidth))} {mark} {Fit(label, width > 0 ? Math.Max(20, width - toolWidth - 20) : 0)}{duration}");
                if (call.Error is { Length: > 0 } error)
                {
                    text.AppendLine(paint.Red(Fit($"             {Clean(error, 200)}", width)));
                }
            }
        }

        foreach (string note in detail.Notes)
        {
            text.AppendLine(paint.Dim(Fit($"  note: {Clean(note, 300)}", width)));
        }

        return text.ToString();
    }

    public static string Activity(AgentInfo a) => a.Activity switch
    {
        AgentActivity.WaitingForPermission => "permission",
        AgentActivity.BackingOff => "backoff",
        AgentActivity.Exited => a.ExitCode is { } code ? $"exited {code}" : "exited",
        _ => a.Activity.ToString().ToLowerInvariant(),
    };

    private static string Clean(string text, int max) => TerminalText.Truncate(TerminalText.SanitizeLine(text), max);

    private static string Row(string[] cells, int[] widths) =>
        "  " + string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    private static string Fit(string line, int width) => width > 0 ? TerminalText.Truncate(line, width) : line;
}
