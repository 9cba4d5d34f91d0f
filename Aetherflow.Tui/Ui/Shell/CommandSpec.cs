namespace Aetherflow.Tui.Ui.Shell;

/// <summary>A command of the <c>:</c> bar.</summary>
/// <param name="Name">What is typed, e.g. <c>sessions</c>.</param>
/// <param name="Aliases">Shorter or other names.</param>
/// <param name="Argument">The argument's name for the help (e.g. <c>&lt;prompt&gt;</c>), or null.</param>
/// <param name="Description">One line for the help.</param>
/// <param name="Mutates">Changes the swarm (refused with <c>--readonly</c>).</param>
internal sealed record CommandSpec(string Name, IReadOnlyList<string> Aliases, string? Argument, string Description, bool Mutates = false)
{
    public string Usage => ":" + Name + (Argument is null ? string.Empty : " " + Argument);
}
