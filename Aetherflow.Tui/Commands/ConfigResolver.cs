using System.CommandLine;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Tasks.Builtin;

namespace Aetherflow.Tui.Commands;

/// <summary>Loads the effective configuration for a parsed command line.</summary>
internal sealed class ConfigResolver
{
    private readonly CliHost host;
    private readonly GlobalOptions globals;
    private readonly ConfigFlags flags;

    public ConfigResolver(CliHost host, GlobalOptions globals, ConfigFlags flags)
    {
        this.host = host;
        this.globals = globals;
        this.flags = flags;
    }

    public AetherflowConfig Load(ParseResult result) => Load(result, ProjectLocator.FindRoot(host.WorkingDirectory));

    /// <summary>
    /// Like <see cref="Load(ParseResult)"/>, but run from inside one of aetherflow's worktrees
    /// (<c>&lt;project&gt;/.aetherflow/worktrees/&lt;name&gt;</c>, where agents work) it loads the main project.
    /// </summary>
    public AetherflowConfig LoadMainProject(ParseResult result) =>
        Load(result, TaskStoreLocation.FindMainProject(ProjectLocator.FindRoot(host.WorkingDirectory)));

    private AetherflowConfig Load(ParseResult result, string projectDirectory)
    {
        string? configFile = result.GetValue(globals.Config);
        return ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = projectDirectory,
            ConfigFile = configFile is null ? null : Path.GetFullPath(configFile, host.WorkingDirectory),
            Environment = host.Environment.Variables,
            Flags = flags.Collect(result),
        });
    }
}
