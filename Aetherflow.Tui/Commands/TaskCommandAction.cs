using System.CommandLine;
using System.CommandLine.Invocation;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Text;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Runs one <c>aetherflow task</c> subcommand against the project's built-in store and turns every failure into one
/// line on stderr with a documented exit code: 2 for a bad command line or configuration, 1 for everything else
/// (unknown id, refused transition, store failure).
/// </summary>
internal sealed class TaskCommandAction : AsynchronousCommandLineAction
{
    private readonly CliHost host;
    private readonly ConfigResolver resolver;
    private readonly Func<TaskInvocation, CancellationToken, Task<int>> run;

    public TaskCommandAction(CliHost host, ConfigResolver resolver, Func<TaskInvocation, CancellationToken, Task<int>> run)
    {
        this.host = host;
        this.resolver = resolver;
        this.run = run;
    }

    // Parse errors reach this action instead of System.CommandLine's error printer (usage text, exit code 1), so they
    // become one line with exit code 2 like every other usage error.
    public override bool ClearsParseErrors => true;

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (parseResult.Errors.Count > 0)
        {
            return Usage(parseResult, parseResult.Errors[0].Message.TrimEnd('.'));
        }

        if (parseResult.UnmatchedTokens.Count > 0)
        {
            return Usage(parseResult, Unexpected(parseResult, parseResult.UnmatchedTokens[0]));
        }

        AetherflowConfig config;
        try
        {
            config = resolver.LoadMainProject(parseResult);
        }
        catch (ConfigException ex)
        {
            return CommandOutput.Fail(parseResult, ex.Message, ExitCodes.ConfigError);
        }

        var store = new BuiltinTaskStore(new BuiltinTaskStoreOptions
        {
            ProjectDirectory = config.ProjectDirectory,
            ProjectName = config.Project,
            TimeProvider = host.TimeProvider,
        });
        if (config.TaskSource != store.Name)
        {
            CommandOutput.Error(parseResult).WriteLine(
                $"aetherflow: note: this project's task_source is '{config.TaskSource}'; 'aetherflow task' works on the built-in store, which the engine does not read");
        }

        try
        {
            return await run(new TaskInvocation(parseResult, config, store), cancellationToken).ConfigureAwait(false);
        }
        catch (TaskUsageException ex)
        {
            return Usage(parseResult, ex.Message);
        }
        catch (InvalidTaskInputException ex)
        {
            return Usage(parseResult, ex.Message);
        }
        catch (TaskNotFoundException ex)
        {
            return CommandOutput.Fail(parseResult, $"task {TerminalText.SanitizeLine(ex.TaskId)} not found; 'aetherflow task list' shows the ids");
        }
        catch (TaskNotReadyException ex)
        {
            return CommandOutput.Fail(parseResult, TerminalText.SanitizeLine(ex.Message) + "; finish those first, or use --force");
        }
        catch (TaskSourceException ex)
        {
            return CommandOutput.Fail(parseResult, TerminalText.SanitizeLine(ex.Message));
        }
    }

    private static string Unexpected(ParseResult parseResult, string token)
    {
        string shown = TerminalText.SanitizeLine(token);
        if (token.StartsWith('-'))
        {
            return $"unknown option '{shown}'";
        }

        return parseResult.CommandResult.Command.Subcommands.Count > 0
            ? $"unknown subcommand '{shown}'"
            : $"unexpected argument '{shown}' (quote text that has spaces)";
    }

    /// <summary>A usage error: one line, the subcommand's help hint, exit code 2.</summary>
    public static int Usage(ParseResult parseResult, string message)
    {
        string command = string.Join(' ', parseResult.CommandResult.Command.Parents.OfType<Command>().Where(c => c is not RootCommand).Select(c => c.Name)
            .Append(parseResult.CommandResult.Command.Name));
        return CommandOutput.Fail(parseResult, $"{TerminalText.SanitizeLine(message)}; see 'aetherflow {command} --help'", ExitCodes.ConfigError);
    }
}
