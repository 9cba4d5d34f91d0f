using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Startup;
using Aetherflow.Tui.Ui.Widgets;
using Item = Aetherflow.Tui.Ui.Widgets.PriorityLine.Item;

namespace Aetherflow.Tui.Ui.Shell;

/// <summary>The header and footer lines: what they say and what goes first when the terminal is narrow.</summary>
internal static class Chrome
{
    public static IReadOnlyList<Item> Header(EngineSnapshot s, DashboardOptions options, Theme theme)
    {
        var items = new List<Item>
        {
            new([new(" aetherflow ", theme.Title)], 7),
            new([new(" " + TerminalText.SanitizeLine(s.Project) + " ", theme.Accent)], 3),
            new([new(" " + options.EngineLabel + " ", theme.Dim)], 4),
        };
        if (StartingEngine.IsStandIn(s))
        {
            // Nothing is known about the pool yet: say what is happening rather than show an empty active pool.
            items.Add(new([new(" " + TerminalText.SanitizeLine(s.Warnings.FirstOrDefault() ?? "starting…") + " ", theme.Dim)], 0));
        }
        else
        {
            items.AddRange(PoolItems(s, theme));
        }

        if (options.ReadOnly)
        {
            items.Add(new([new("  [read-only]", theme.Warning)], 1));
        }

        return items;
    }

    private static IEnumerable<Item> PoolItems(EngineSnapshot s, Theme theme)
    {
        int running = s.Agents.Count(a => a.Activity != AgentActivity.Exited);
        int failed = s.FailedAgents;
        List<Item> items =
        [
            new([new(string.Create(CultureInfo.InvariantCulture, $" pool {s.RunningPoolAgents}/{s.PoolSize} "), theme.Normal)], 1),
            new([ModeBadge(s.Mode, theme)], 0),
            new([new(string.Create(CultureInfo.InvariantCulture, $"  running {running}"), theme.Normal)], 2),
            new([new(string.Create(CultureInfo.InvariantCulture, $"  queued {s.Queue.Count}"), theme.Normal)], 2),
            new([new("  failed ", theme.Normal), new(failed.ToString(CultureInfo.InvariantCulture), failed > 0 ? theme.Error : theme.Normal)], 2),
        ];
        if (s.SpawnPolicy == SpawnPolicy.Manual)
        {
            items.Add(new([new("  [manual]", theme.Dim)], 5));
        }

        return items;
    }

    public static Segment ModeBadge(PoolMode mode, Theme theme) => mode switch
    {
        PoolMode.Draining => new Segment("[draining]", theme.Warning),
        PoolMode.Paused => new Segment("[paused]", theme.Error),
        _ => new Segment("[active]", theme.Good),
    };

    /// <summary>The keys of the current view, or of the open bar or question.</summary>
    public static IReadOnlyList<Item> Footer(KeyMap keys, ViewScope scope, Prompt? prompt, Question? question, bool readOnly, Theme theme)
    {
        if (question is not null)
        {
            return [.. question.Choices.Select(c => Hint(c.Key.ToString(), c.Label, 0, theme)), new([new Segment("  any other key cancels", theme.Dim)], 1)];
        }

        if (prompt is not null)
        {
            var hints = new List<Item>
            {
                Hint("enter", prompt.Kind switch { PromptKind.Command => "run", PromptKind.Filter => "keep", _ => "send" }, 0, theme),
                Hint("esc", prompt.Kind == PromptKind.Filter ? "clear" : "cancel", 0, theme),
            };
            if (prompt.Kind == PromptKind.Command)
            {
                hints.Add(Hint("tab", "complete", 1, theme));
            }

            if (prompt.History is not null)
            {
                hints.Add(Hint("↑/↓", "history", 2, theme));
            }

            if (prompt.Kind == PromptKind.Filter)
            {
                hints.Add(Hint("!", "inverse (first)", 2, theme));
            }

            return hints;
        }

        return keys.For(scope)
            .Where(a => a.Hint is not null && !(a.Mutates && readOnly))
            .Select(a => Hint(a.FooterLabel, a.Hint!, a.FooterPriority, theme))
            .ToList();
    }

    private static Item Hint(string key, string label, int priority, Theme theme) =>
        new([new Segment(" <" + key + ">", theme.Key), new Segment(" " + label, theme.Dim)], priority);
}
