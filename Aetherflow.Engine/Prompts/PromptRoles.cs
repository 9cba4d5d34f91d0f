namespace Aetherflow.Engine.Prompts;

/// <summary>
/// The names of the prompt templates. Only these names are accepted anywhere a role selects a template, so a role can
/// never become a path.
/// </summary>
public static class PromptRoles
{
    /// <summary>Implements one tracker task and lands it.</summary>
    public const string Worker = "worker";

    /// <summary>Turns an intent (a task labelled <c>plan</c>) into tracker tasks.</summary>
    public const string Planner = "planner";

    /// <summary>Works on a person's one-off prompt, without a tracker.</summary>
    public const string Spawn = "spawn";

    /// <summary>Asks a running agent to write a handoff into its task's log.</summary>
    public const string Handoff = "handoff";

    /// <summary>Every role, in the order they are documented.</summary>
    public static IReadOnlyList<string> All { get; } = [Worker, Planner, Spawn, Handoff];

    /// <summary>True when <paramref name="role"/> is one of <see cref="All"/> (exact, case-sensitive).</summary>
    public static bool IsValid(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);

    /// <summary>The file name of a role's template, e.g. <c>worker.md</c>.</summary>
    public static string FileName(string role) => Require(role) + ".md";

    /// <summary>Returns <paramref name="role"/> when it is valid; throws otherwise.</summary>
    /// <exception cref="ArgumentException">The role is not one of <see cref="All"/>.</exception>
    public static string Require(string? role, string? paramName = null) =>
        IsValid(role)
            ? role!
            : throw new ArgumentException($"'{role}' is not a prompt role; use {string.Join(", ", All)}", paramName ?? nameof(role));
}
