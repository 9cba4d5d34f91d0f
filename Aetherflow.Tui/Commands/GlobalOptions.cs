using System.CommandLine;

namespace Aetherflow.Tui.Commands;

/// <summary>Options valid on every command.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Project { get; } = new("--project", "-p")
    {
        Description = "Project name (default: from .aetherflow.yaml, else the project directory's name)",
        Recursive = true,
        HelpName = "name",
    };

    public Option<string> Config { get; } = new("--config", "-c")
    {
        Description = "Config file (default: .aetherflow.yaml in the project root)",
        Recursive = true,
        HelpName = "file",
    };

    public Option<bool> NoColor { get; } = new("--no-color")
    {
        Description = "Plain output without colour (also: NO_COLOR)",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Project);
        root.Options.Add(Config);
        root.Options.Add(NoColor);
    }
}
