namespace Aetherflow.Tui.Ui.Shell;

/// <summary>The commands of the <c>:</c> bar, their completion and lookup.</summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        new("agents", ["ag", "a"], null, "The agent table (the dashboard)"),
        new("queue", ["qu"], null, "The dashboard with the queue pane selected"),
        new("sessions", ["ss", "session"], null, "The project's opencode sessions from the session registry"),
        new("spawn", ["run"], "<prompt>", "Start a one-off agent from a prompt (it takes no pool slot)", Mutates: true),
        new("drain", [], null, "Drain the pool: no new tasks, crashed agents are still respawned", Mutates: true),
        new("pause", [], null, "Pause the pool: no new tasks and no respawns", Mutates: true),
        new("resume", [], null, "Resume the pool", Mutates: true),
        new("help", ["h"], null, "The keys of the current view"),
        new("quit", ["q"], null, "Quit (asks first while this process's engine runs agents)"),
        new("q!", ["quit!"], null, "Quit without asking"),
    ];

    /// <summary>The command named <paramref name="word"/> (name or alias), or null.</summary>
    public static CommandSpec? Find(string word) =>
        All.FirstOrDefault(c => c.Name.Equals(word, StringComparison.OrdinalIgnoreCase) || c.Aliases.Contains(word, StringComparer.OrdinalIgnoreCase));

    /// <summary>What completion would add to <paramref name="typed"/> (shown dimmed after the cursor), or empty.</summary>
    public static string Suggest(string typed)
    {
        if (typed.Length == 0 || typed.Contains(' ', StringComparison.Ordinal))
        {
            return string.Empty;
        }

        CommandSpec? match = All.FirstOrDefault(c => c.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && c.Name.Length > typed.Length);
        return match is null ? string.Empty : match.Name[typed.Length..];
    }

    /// <summary>Completes <paramref name="typed"/>: the suggested name, plus a space when the command takes an argument.</summary>
    public static string Complete(string typed)
    {
        string rest = Suggest(typed);
        if (rest.Length == 0)
        {
            return typed;
        }

        string name = typed + rest;
        return Find(name)?.Argument is null ? name : name + " ";
    }

    /// <summary>The closest command names to an unknown word, for "did you mean".</summary>
    public static string? Closest(string word)
    {
        string? best = null;
        int distance = int.MaxValue;
        foreach (string name in All.Select(c => c.Name))
        {
            int d = Aetherflow.Engine.Text.EditDistance.Between(word.ToLowerInvariant(), name);
            if (d < distance)
            {
                distance = d;
                best = name;
            }
        }

        return distance <= 2 ? best : null;
    }
}
