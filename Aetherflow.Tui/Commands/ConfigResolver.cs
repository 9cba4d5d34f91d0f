using System.CommandLine;
using Aetherflow.Engine.Config;

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

    public AetherflowConfig Load(ParseResult result)
    {
        string? configFile = result.GetValue(globals.Config);
        return ConfigLoader.Load(new ConfigLoadRequest
        {
            ProjectDirectory = ProjectLocator.FindRoot(host.WorkingDirectory),
            ConfigFile = configFile is null ? null : Path.GetFullPath(configFile, host.WorkingDirectory),
            Environment = host.Environment.Variables,
            Flags = flags.Collect(result),
        });
    }
}
