using System.CommandLine;

namespace Aetherflow.Tui.Commands;

/// <summary>Builds the <c>aetherflow</c> command tree.</summary>
internal static class AetherflowCli
{
    /// <summary>
    /// Parses a command line. Response files are off: an argument starting with '@' is ordinary text (a task title,
    /// a log line), never the name of a file to splice in.
    /// </summary>
    public static ParseResult Parse(CliHost host, IReadOnlyList<string> args) =>
        Create(host).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    public static RootCommand Create(CliHost host)
    {
        var globals = new GlobalOptions();
        var flags = new ConfigFlags(globals.Project);
        var resolver = new ConfigResolver(host, globals, flags);
        var engine = new EngineCommand(host, resolver, globals);

        var root = new RootCommand("aetherflow: run a swarm of opencode agents and steer it from a terminal dashboard");
        globals.AddTo(root);
        engine.AddTo(root);
        flags.AddTo(root);
        root.SetAction(engine.RunAsync);
        root.Subcommands.Add(ConfigCommand.Create(resolver, flags));
        var connection = new EngineConnection(host, resolver);
        root.Subcommands.Add(StatusCommand.Create(host, globals, connection));
        foreach (Command poolCommand in PoolCommands.Create(host, globals, connection))
        {
            root.Subcommands.Add(poolCommand);
        }

        root.Subcommands.Add(LogsCommand.Create(host, globals, connection));
        root.Subcommands.Add(SessionsCommand.Create(host, globals, connection));
        root.Subcommands.Add(SessionCommand.Create(host, connection));
        root.Subcommands.Add(SpawnCommand.Create(host, globals, connection));
        root.Subcommands.Add(SteerCommand.Create(connection));
        root.Subcommands.Add(StopCommand.Create(connection));
        root.Subcommands.Add(ShutdownCommand.Create(connection));
        root.Subcommands.Add(RpcCommand.Create(connection));
        root.Subcommands.Add(TaskCommand.Create(host, resolver));
        root.Subcommands.Add(DemoCommand.Create(host, globals));
        root.Subcommands.Add(InstallCommand.Create(host, globals));
        foreach (VersionOption version in root.Options.OfType<VersionOption>())
        {
            version.Action = new PrintVersionAction();
        }

        return root;
    }
}
