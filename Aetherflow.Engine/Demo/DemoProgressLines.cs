using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Demo;

/// <summary>
/// Turns what happens in a demo into one line per event, for <c>aetherflow demo --headless</c>: an agent takes a
/// task, an agent calls a tool, an agent stops with an error, a task changes status.
/// </summary>
internal sealed class DemoProgressLines : IDisposable
{
    private const int MaxLineText = 110;

    private readonly IEngine engine;
    private readonly Action<string>? write;
    private readonly Func<TimeSpan> elapsed;
    private readonly Dictionary<string, string> titles;
    private readonly Dictionary<string, AgentInfo> agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackerTaskState> states = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public DemoProgressLines(IEngine engine, DemoProject project, Action<string>? write, Func<TimeSpan> elapsed)
    {
        this.engine = engine;
        this.write = write;
        this.elapsed = elapsed;
        titles = project.Tasks.ToDictionary(t => t.Id, t => t.Plan.Title, StringComparer.Ordinal);
        engine.SnapshotChanged += OnSnapshotChanged;
        OnSnapshotChanged(this, engine.Snapshot);
    }

    /// <summary>Reports the tasks whose status changed since the last call.</summary>
    public void Report(IReadOnlyList<DemoTaskStatus> statuses)
    {
        lock (gate)
        {
            foreach (DemoTaskStatus status in statuses)
            {
                if (states.TryGetValue(status.Task.Id, out TrackerTaskState before) && before == status.State)
                {
                    continue;
                }

                bool first = !states.ContainsKey(status.Task.Id);
                states[status.Task.Id] = status.State;
                // Open at the start is the normal state, and an agent's "took" line already says a task is in progress.
                if ((first && status.State == TrackerTaskState.Open) || status.State == TrackerTaskState.InProgress)
                {
                    continue;
                }

                string landed = status.State == TrackerTaskState.Done
                    ? status.Landed ? $", af/{status.Task.Id} is on {DemoProject.BaseBranch}" : $", af/{status.Task.Id} is NOT on {DemoProject.BaseBranch}"
                    : string.Empty;
                Write(status.Task.Id, $"{TaskStatusNames.ToName(status.State)}{landed}  {status.Task.Plan.Title}");
            }
        }
    }

    public void Dispose() => engine.SnapshotChanged -= OnSnapshotChanged;

    private void OnSnapshotChanged(object? sender, EngineSnapshot snapshot)
    {
        lock (gate)
        {
            foreach (AgentInfo agent in snapshot.Agents)
            {
                agents.TryGetValue(agent.Name, out AgentInfo? before);
                agents[agent.Name] = agent;
                if (before is null || before.TaskId != agent.TaskId || before.SpawnedAt != agent.SpawnedAt)
                {
                    string id = agent.TaskId ?? "-";
                    Write(agent.Name, $"took {id}  {(titles.TryGetValue(id, out string? title) ? title : agent.Title)}");
                }

                // A call shows first with its tool name only, then with what it works on: report the second.
                if (agent.LastTool is { } tool && tool != before?.LastTool && tool.Contains(": ", StringComparison.Ordinal))
                {
                    Write(agent.Name, tool);
                }

                if (agent.Activity == AgentActivity.Exited && before?.Activity != AgentActivity.Exited && agent.ExitCode is not (null or 0))
                {
                    Write(agent.Name, $"stopped with exit code {agent.ExitCode}: {agent.LastError ?? "no reason given"}");
                }
            }
        }
    }

    private void Write(string subject, string text)
    {
        if (write is null)
        {
            return;
        }

        string seconds = elapsed().TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        string line = TerminalText.Truncate(TerminalText.SanitizeLine(text), MaxLineText);
        write($"{seconds,6}s  {TerminalText.SanitizeLine(subject),-10} {line}");
    }
}
